// The tutorial example's curl flow in the README, the guides and Sessions 101, run as
// written: every example ```console block of those pages is executed in bash against the
// example app and each output is compared with the one the page documents. The README's
// block runs against `npm run example` itself, started as a learner starts it; the
// guides' against the same app (examples/tutorial-login.ts) served in this process.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/tutorial-login.js';
import { consoleSteps, mismatch, type Step } from './console-blocks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCUMENTED_URL = 'http://localhost:3000';

type Running = { url: string; stop: () => Promise<void> };

/** The example app in this process, on a free port. */
async function inProcess(): Promise<Running> {
  const server = await new Promise<Server>((resolve) => {
    const listening = createApp('guide-test-secret-that-is-long-enough').listen(0, '127.0.0.1', () =>
      resolve(listening),
    );
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** `npm run example`, as the README has the learner start it, on a free port (PORT). */
async function npmRunExample(): Promise<Running> {
  const port = await freePort();
  const child = spawn('npm', ['run', 'example'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), SESSION_SECRET: '' },
    detached: true, // its own process group: npm, the shell and tsx's node all stop together
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await listening(child, `Tutorial login on http://localhost:${port}`);
  return {
    url: `http://localhost:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    },
  };
}

function listening(child: ChildProcess, line: string): Promise<void> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run example did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`npm run example exited (${code}):\n${output}`)));
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const PAGES: { page: string; target?: string; start: () => Promise<Running> }[] = [
  { page: 'README.md', target: 'example', start: npmRunExample },
  { page: 'docs/guide.md', start: inProcess },
  { page: 'docs/guide.hi-Latn.md', start: inProcess },
  { page: 'docs/sessions-101.md', start: inProcess },
  { page: 'docs/sessions-101.hi-Latn.md', start: inProcess },
];

for (const { page, target, start } of PAGES) {
  const steps = consoleSteps(await readFile(join(ROOT, page), 'utf8'), target);

  describe(`${page}: the tutorial example's curl flow`, () => {
    let example: Running | undefined;
    let jarDir: string;

    beforeAll(async () => {
      example = await start();
      jarDir = await mkdtemp(join(tmpdir(), 'guide-example-'));
    });

    afterAll(async () => {
      await example?.stop();
      if (jarDir) await rm(jarDir, { recursive: true, force: true });
    });

    /** Runs a documented command in bash against the example; its output as the page would show it. */
    function run(step: Step): Promise<string> {
      const url = example?.url ?? '';
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
      expect(outputs).toContain('Welcome back, ravi');
      expect(outputs).toContain('415');
      expect(outputs).toContain('Allow: POST');
    });

    // In order: the later commands use the cookie jar the earlier ones filled.
    for (const [index, step] of steps.entries()) {
      it(`step ${index + 1} prints what the page documents`, async () => {
        expect(mismatch(step, await run(step))).toBeUndefined();
      });
    }
  });
}
