// The tutorial example's curl flow in the guides and in Sessions 101, run as written: every
// ```console block of those pages is executed in bash against the example app
// (examples/tutorial-login.ts, as `npm run example` serves it) and each output is compared
// with the one the guide documents.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/tutorial-login.js';
import { consoleSteps, mismatch, type Step } from './console-blocks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCUMENTED_URL = 'http://localhost:3000';

for (const guide of [
  'docs/guide.md',
  'docs/guide.hi-Latn.md',
  'docs/sessions-101.md',
  'docs/sessions-101.hi-Latn.md',
]) {
  const steps = consoleSteps(await readFile(join(ROOT, guide), 'utf8'));

  describe(`${guide}: the tutorial example's curl flow`, () => {
    let server: Server;
    let url: string;
    let jarDir: string;

    beforeAll(async () => {
      server = await new Promise<Server>((resolve) => {
        const listening = createApp('guide-test-secret-that-is-long-enough').listen(0, '127.0.0.1', () =>
          resolve(listening),
        );
      });
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      jarDir = await mkdtemp(join(tmpdir(), 'guide-example-'));
    });

    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
      if (jarDir) await rm(jarDir, { recursive: true, force: true });
    });

    /** Runs a documented command in bash against the example; its output as the guide would show it. */
    function run(step: Step): Promise<string> {
      const command = step.command.replaceAll(DOCUMENTED_URL, url);
      return new Promise((resolve) => {
        execFile('bash', ['-c', command], { cwd: jarDir }, (_err, stdout, stderr) =>
          resolve(`${stdout}${stderr}`.replaceAll(url, DOCUMENTED_URL)),
        );
      });
    }

    it('logs in, sees the dashboard, logs out, and shows the 415 and 405 answers', () => {
      const commands = steps.map((s) => s.command).join('\n');
      for (const path of ['/login', '/dashboard', '/logout']) expect(commands).toContain(`${DOCUMENTED_URL}${path}`);
      const outputs = steps.flatMap((s) => s.expected).join('\n');
      expect(outputs).toContain('415');
      expect(outputs).toContain('Allow: POST');
    });

    // In order: the later commands use the cookie jar the earlier ones filled.
    for (const [index, step] of steps.entries()) {
      it(`step ${index + 1} prints what the guide documents`, async () => {
        expect(mismatch(step, await run(step))).toBeUndefined();
      });
    }
  });
}
