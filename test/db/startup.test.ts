// Two instances starting at once on one fresh SQLite file: the same races as on
// PostgreSQL (migrations, stock seed, demo accounts). Separate processes, as in
// real life: better-sqlite3 waits for a lock synchronously (busy_timeout), which
// two connections in one process would turn into a wait on each other.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/accounts/demo.js';
import { type Db, openDatabase } from '../../src/db/connect.js';

type Started = { code: number | null; output: string };

/** Starts instances in child processes, all released at once; resolves with their exit codes and output. */
async function startProcesses(databaseUrl: string, count: number): Promise<Started[]> {
  const children = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/db/instance-process.ts', databaseUrl]);
    let output = '';
    let markReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.startsWith('ready\n')) markReady();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<Started>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, output: output.replace(/^ready\n/, '').trim() }));
    });
    return { child, ready, exited };
  });
  await Promise.all(children.map((c) => c.ready));
  for (const { child } of children) child.stdin.end('go\n');
  return Promise.all(children.map((c) => c.exited));
}

describe('starting instances together on SQLite', () => {
  let dir: string | undefined;
  let db: Db | undefined;

  afterEach(async () => {
    await db?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('brings up two processes on one fresh file, with one copy of each demo account', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shop-startup-'));
    const file = join(dir, 'shop.sqlite');

    const started = await startProcesses(file, 2);

    expect(started).toEqual([
      { code: 0, output: 'up' },
      { code: 0, output: 'up' },
    ]);
    db = await openDatabase(file);
    const users = await db.selectFrom('users').select('username').execute();
    expect(users.map((u) => u.username).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort());
  });
});
