// Servers under test, each in its own child process on a free 127.0.0.1 port:
// start (and wait for /healthz), read memory from outside, stop. Every child is
// killed when the bench exits, however it exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type Server = {
  name: string;
  url: string;
  pid: number;
  stop: () => Promise<void>;
};

export type ServerSpec = {
  name: string;
  script: string;
  cwd: string;
  env: Record<string, string>;
  nodeArgs?: string[];
};

const READY_TIMEOUT_MS = 30_000;
const running = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startServer(spec: ServerSpec): Promise<Server> {
  const port = await freePort();
  // A clean environment: nothing from the caller's shell (a stray REDIS_URL, LOG_LEVEL…)
  // may change what is measured.
  // No proxy watches these servers' /readyz, so a stop need not keep serving first.
  const env = {
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    PORT: String(port),
    SHUTDOWN_DELAY_MS: '0',
    ...spec.env,
  };
  // stdout (pino's request log in the store) goes to /dev/null: the app still pays for
  // writing it, the bench does not pay for reading it. stderr carries start-up errors.
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.script], {
    cwd: spec.cwd,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => running.delete(child));

  const url = `http://127.0.0.1:${port}`;
  const outcome = await Promise.race([waitForHealth(url), exited.then((code) => ({ exitCode: code }))]);
  if (outcome !== 'ready' || child.pid === undefined) {
    child.kill('SIGKILL');
    const why = typeof outcome === 'object' ? `exited with code ${outcome.exitCode}` : 'did not answer /healthz';
    throw new Error(`server "${spec.name}" ${why}:\n${stderr.trim() || '(no output on stderr)'}`);
  }
  return {
    name: spec.name,
    url,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(5_000, false)]);
      if (!stopped) child.kill('SIGKILL');
    },
  };
}

async function waitForHealth(url: string): Promise<'ready' | 'timeout'> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return 'ready';
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return 'timeout';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Resident set size of a process, read from outside: /proc/<pid>/status VmRSS. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * Heap in use after a full GC, from a server started with heap-probe.js preloaded
 * and BENCH_PROBE_FILE=file: signal it, then wait for the file it writes.
 */
export async function heapUsedBytes(pid: number, file: string): Promise<number> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 10_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not write ${file}`);
    await sleep(50);
  }
  const usage: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof usage !== 'object' || usage === null || !('heapUsed' in usage) || typeof usage.heapUsed !== 'number') {
    throw new Error(`unexpected memory report in ${file}`);
  }
  return usage.heapUsed;
}
