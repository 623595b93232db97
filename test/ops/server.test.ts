// src/server.ts as a process, for what startup.test.ts and shutdown.test.ts leave out:
// a normal start, the start-up errors meant for a person (configuration, catalog file,
// a secret that will not survive a restart), and SIGINT, which stops it like SIGTERM.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ChildServer, probe, startServer } from '../helpers/child-server.js';

// A process starts and stops in seconds, or in a minute on a machine that is busy with
// other work: the tests wait for what the process says and does, never for a clock.
vi.setConfig({ testTimeout: 180_000 });

let server: ChildServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** A start-up error is one line for a person, not a stack trace. */
function expectNoStack(output: string): void {
  expect(output).not.toMatch(/\n\s+at .*:\d+:\d+/);
}

describe('start-up', () => {
  it('listens, says where and on which session store and database, and serves the shop', async () => {
    server = await startServer();
    // The log is written asynchronously: the line may come just after the first answer.
    const line = await server.waitForOutput(/Session Shop listening on/);
    expect(line).toContain(
      `Session Shop listening on http://127.0.0.1:${server.port} (sessions: memorystore; database: SQLite in memory)`,
    );
    expect(await probe(server.port, '/')).toBe(200);
    expect(await probe(server.port, '/readyz')).toBe(200);
  });

  it('writes readable lines, not JSON, with LOG_FORMAT=pretty', async () => {
    server = await startServer({ env: { LOG_FORMAT: 'pretty' } });
    await server.waitForOutput(/INFO: Session Shop listening on http:\/\/127\.0\.0\.1:\d+ \(/);
    expect(await probe(server.port, '/')).toBe(200);
    await server.waitForOutput(/INFO: request completed · GET \/ → 200 in \d+ ms · [0-9a-f-]{36}$/);
    expect(server.output()).not.toMatch(/^\{"level"/m);
  });

  it('refuses an invalid environment with the variable and why, and exit code 1', async () => {
    server = await startServer({ waitUntilReady: false, env: { PORT: 'eighty', LOCK_WAIT_MS: '-5' } });
    expect((await server.exited).code).toBe(1);
    const output = server.output();
    expect(output).toContain('Invalid environment');
    expect(output).toMatch(/PORT: /);
    expect(output).toMatch(/LOCK_WAIT_MS: /);
    expect(output).not.toMatch(/listening/i);
    expectNoStack(output);
  });

  it('refuses to run in production without a session secret', async () => {
    server = await startServer({ waitUntilReady: false, env: { SESSION_SECRET: undefined } });
    expect((await server.exited).code).toBe(1);
    expect(server.output()).toContain('SESSION_SECRET is required in production');
    expectNoStack(server.output());
  });

  it('warns outside production that a generated secret ends every session at a restart', async () => {
    server = await startServer({ env: { NODE_ENV: 'development', SESSION_SECRET: undefined } });
    // Written asynchronously, like every line: it may come just after the server answers.
    await server.waitForOutput(/SESSION_SECRET is not set: using a random secret/);
  });

  it('refuses a broken catalog file, naming the file and the product', async () => {
    const file = join(tmpdir(), `catalog-${process.pid}-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify([{ id: 'p-1', name: 'Half a product' }]));
    server = await startServer({ waitUntilReady: false, env: { CATALOG_FILE: file } });
    expect((await server.exited).code).toBe(1);
    expect(server.output()).toContain(file);
    expect(server.output()).toContain('"p-1"');
    expect(server.output()).not.toMatch(/listening/i);
    expectNoStack(server.output());
  });
});

describe('SIGINT', () => {
  it('shuts down like SIGTERM: drained, dependencies closed, exit 0', async () => {
    server = await startServer({ env: { SHUTDOWN_DELAY_MS: '100' } });
    server.kill('SIGINT');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const output = server.output();
    expect(output).toMatch(/SIGINT: shutting down; \/readyz answers 503, still serving for 100 ms/);
    expect(output).toMatch(/Stopped accepting; waiting up to \d+ ms for 0 request\(s\) in flight/);
    expect(output).toContain('shut down');
    expect(output).not.toMatch(/shutdown: .* failed/);
  });
});
