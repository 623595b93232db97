// The README's curl walkthrough, run as written: every ```console block of README.md is
// executed (the real curl lines, in bash, against the real server started as `npm start`
// would, on a free port) and each output is compared with the one the README documents.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startServer } from '../helpers/child-server.js';
import { consoleSteps, mismatch, type Step } from './console-blocks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCUMENTED_URL = 'http://localhost:3000';
const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
const steps = consoleSteps(readme);

let server: ChildServer;
let jarDir: string;
/** What each step printed, in README order: the last test re-checks them against an altered README. */
const printed: string[] = [];

beforeAll(async () => {
  // As `npm start` runs it (development: the inspector on, a random secret), but on a fresh database.
  server = await startServer({
    env: { NODE_ENV: 'development', SESSION_SECRET: undefined, DATABASE_URL: ':memory:', LOG_LEVEL: 'warn' },
  });
  jarDir = await mkdtemp(join(tmpdir(), 'readme-walkthrough-'));
});

afterAll(async () => {
  await server?.stop();
  if (jarDir) await rm(jarDir, { recursive: true, force: true });
});

/** Runs a README command in bash, pointed at the test server; its output as the README would show it. */
function run(step: Step): Promise<string> {
  const command = step.command.replaceAll(DOCUMENTED_URL, server.url);
  return new Promise((resolve) => {
    // A non-zero exit (grep finding nothing) is not an error here: the output comparison says what went wrong.
    execFile('bash', ['-c', command], { cwd: jarDir }, (_err, stdout, stderr) => {
      resolve(`${stdout}${stderr}`.replaceAll(server.url, DOCUMENTED_URL));
    });
  });
}

describe('README.md walkthrough', () => {
  it('has console blocks that teach the session: visit, cart, inspector, login, dashboard, logout', () => {
    const commands = steps.map((s) => s.command).join('\n');
    for (const path of ['/ ', '/cart/items', '/cart ', '/session', '/login', '/dashboard', '/logout']) {
      expect(commands).toContain(`${DOCUMENTED_URL}${path.trim()}`);
    }
    expect(steps.length).toBeGreaterThanOrEqual(10);
    // Every step documents an output but those that only write a file (`cp`, `> file`): a step
    // with nothing to compare proves nothing.
    const writesAFile = (command: string) => command.startsWith('cp ') || /> [\w.-]+$/.test(command);
    for (const step of steps.filter((s) => !writesAFile(s.command)))
      expect(step.expected, step.command).not.toEqual([]);
  });

  for (const [index, step] of steps.entries()) {
    const target = /localhost:3000(\S*)/.exec(step.command)?.[1] ?? step.command;
    it(`step ${index + 1} (${target || '/'}) prints what README.md documents`, async () => {
      const output = await run(step);
      printed[index] = output;
      expect(mismatch(step, output)).toBeUndefined();
    });
  }

  it('fails when any documented output in README.md is altered', () => {
    expect(printed.length).toBe(steps.length);
    for (const [index, step] of steps.entries()) {
      const [firstLine] = step.expectedLines;
      if (firstLine === undefined) continue;
      const altered = alterLine(readme, firstLine);
      const alteredStep = consoleSteps(altered)[index];
      if (!alteredStep) throw new Error(`step ${index} vanished from the altered README`);
      expect(mismatch(alteredStep, printed[index] ?? ''), `README.md line ${firstLine} altered`).toMatch(/documented:/);
    }
    // The plainest case, spelled out: another name in the welcome.
    const renamed = readme.replace('"message":"Welcome back, ravi"', '"message":"Welcome back, alice"');
    expect(renamed).not.toBe(readme);
    const failing = consoleSteps(renamed).filter((s, i) => mismatch(s, printed[i] ?? '') !== undefined);
    expect(failing.map((s) => s.command)).toEqual([expect.stringContaining('/dashboard')]);
  });
});

/** The Markdown with one letter or digit of a documented output line changed (never inside a `…`). */
function alterLine(markdown: string, lineNumber: number): string {
  const lines = markdown.split('\n');
  const line = lines[lineNumber - 1] ?? '';
  const at = line.search(/[A-Za-z0-9]/);
  if (at < 0) throw new Error(`README.md line ${lineNumber} has no letter or digit to alter: ${line}`);
  const char = line.charAt(at);
  const swapped =
    char === '9' ? '0' : char === 'z' ? 'a' : char === 'Z' ? 'A' : String.fromCharCode(char.charCodeAt(0) + 1);
  lines[lineNumber - 1] = line.slice(0, at) + swapped + line.slice(at + 1);
  return lines.join('\n');
}
