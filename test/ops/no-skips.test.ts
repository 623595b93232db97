// .ci/no-skips.mjs, the CI step that refuses a test run in which a test did not run.
// The reports below have the shape and the statuses vitest's JSON reporter writes for
// it(), it.todo(), it.skip() and a describe.skipIf() that skipped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '../../.ci/no-skips.mjs');
const dir = mkdtempSync(join(tmpdir(), 'no-skips-'));

type Status = 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';

function report(tests: [string, Status][]) {
  return {
    numTotalTests: tests.length,
    numTodoTests: tests.filter(([, status]) => status === 'todo').length,
    success: true,
    testResults: [
      {
        name: '/repo/test/cart/rules.test.ts',
        status: 'passed',
        assertionResults: tests.map(([fullName, status]) => ({ fullName, status, title: fullName })),
      },
    ],
  };
}

function check(contents: unknown) {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(contents));
  const run = spawnSync(process.execPath, [SCRIPT, file], { encoding: 'utf8' });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('.ci/no-skips.mjs', () => {
  it('passes a run in which every test ran', () => {
    const { code, out } = check(report([['adds a product', 'passed']]));
    expect(code).toBe(0);
    expect(out).toContain('1 tests, every one of them run.');
  });

  it.each([['todo'], ['skipped'], ['pending'], ['disabled']] as const)(
    'refuses a test left %s, and names it',
    (status) => {
      const { code, err } = check(
        report([
          ['adds a product', 'passed'],
          ['merges two carts', status],
        ]),
      );
      expect(code).toBe(1);
      expect(err).toContain('1 test(s) did not run');
      expect(err).toContain(`${status}: /repo/test/cart/rules.test.ts: merges two carts`);
      expect(err).not.toContain('adds a product');
    },
  );

  it('leaves a failed test to vitest, which has failed the run already', () => {
    expect(check(report([['adds a product', 'failed']])).code).toBe(0);
  });

  it('refuses a file that is not a vitest report rather than pass it', () => {
    const { code, err } = check({ hello: 'world' });
    expect(code).toBe(2);
    expect(err).toContain('is not a vitest JSON report');
  });
});
