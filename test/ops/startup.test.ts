// Start-up of the real process: it waits (with a line per attempt) for a Redis that
// comes up late, gives up with a clear message when it never does, refuses to run
// on a port it cannot have, bounds slow requests, and warns when production would
// serve plain HTTP without a trusted TLS proxy.
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ChildServer, probe, RawConnection, startServer } from '../helpers/child-server.js';
import { freePort, PrivateRedis, redisServerInstalled } from '../helpers/redis-server.js';

// A process starts and stops in seconds, or in a minute on a machine that is busy with
// other work: the tests wait for what the process says and does, never for a clock.
vi.setConfig({ testTimeout: 180_000 });

let server: ChildServer | undefined;
let redis: PrivateRedis | undefined;
afterEach(async () => {
  await server?.stop();
  await redis?.stop();
  server = undefined;
  redis = undefined;
});

describe('start-up', () => {
  it('exits non-zero with a clear message when the port is taken', async () => {
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      server = await startServer({ port, waitUntilReady: false });
      expect(await server.exited).toEqual({ code: 1, signal: null });
      expect(server.output()).toMatch(new RegExp(`port ${port} is already in use`, 'i'));
      expect(server.output()).not.toMatch(/listening/i);
    } finally {
      holder.close();
    }
  });

  it('gives up on PostgreSQL after STARTUP_RETRY_MS, logging each attempt', async () => {
    const nothing = await freePort();
    const retryMs = 1500;
    server = await startServer({
      waitUntilReady: false,
      env: { DATABASE_URL: `postgres://shop:secret@127.0.0.1:${nothing}/shop`, STARTUP_RETRY_MS: String(retryMs) },
    });
    // On a busy machine the first attempt alone may use up the whole limit: no attempt line is awaited.
    expect((await server.exited).code).toBe(1);
    // It names the limit it kept to: STARTUP_RETRY_MS, not the default half minute.
    expect(server.output()).toMatch(new RegExp(`gave up waiting for PostgreSQL.* after ${retryMs} ms`, 'i'));
    expect(server.output()).not.toContain('secret'); // the password in DATABASE_URL
  });

  it('answers 408 when a request body takes longer than REQUEST_TIMEOUT_MS', async () => {
    const requestMs = 1000;
    server = await startServer({ env: { REQUEST_TIMEOUT_MS: String(requestMs) } });
    const conn = await RawConnection.open(server.port);
    const started = Date.now();
    conn.send(
      'POST /cart/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{',
    );
    const answer = await conn.next();
    expect(answer.status).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(requestMs); // not before the limit
  });
});

describe('production over plain HTTP', () => {
  const warning = /TRUST_PROXY/;

  it('warns once at start-up when TRUST_PROXY is unset', async () => {
    server = await startServer({ env: { TRUST_PROXY: undefined } });
    await server.waitForOutput(/listening on/); // logged after the warning; lines are written asynchronously
    const lines = server
      .output()
      .split('\n')
      .filter((l) => warning.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/TLS/);
  });

  it('stays quiet when TRUST_PROXY is set', async () => {
    server = await startServer({ env: { TRUST_PROXY: '1' } });
    await server.waitForOutput(/listening on/);
    expect(server.output()).not.toMatch(warning);
  });
});

describe.skipIf(!redisServerInstalled())('start-up with Redis', () => {
  it('waits for a Redis that comes up late, with a line per attempt', async () => {
    redis = await PrivateRedis.start();
    await redis.kill();
    server = await startServer({ waitUntilReady: false, env: { REDIS_URL: redis.url, STARTUP_RETRY_MS: '20000' } });
    await server.waitForOutput(/waiting for Redis.*attempt 2/i);
    await redis.restart();
    await server.ready();
    expect(await probe(server.port, '/readyz')).toBe(200);
  });

  it('logs a Redis outage once, and a line when Redis is back', async () => {
    redis = await PrivateRedis.start();
    server = await startServer({ env: { REDIS_URL: redis.url, LOG_LEVEL: 'debug' } });
    await redis.kill();
    await server.waitForOutput(/lost Redis/i);
    // Debug lines prove the reconnect attempts went on, unlogged at error level.
    await waitForCount(server, /still unavailable/, 3);
    expect(await probe(server.port, '/readyz')).toBe(503);
    await redis.restart();
    await server.waitForOutput(/Redis at \S+ is back/);
    expect(await probe(server.port, '/readyz')).toBe(200);
    const errors = server
      .output()
      .split('\n')
      .filter((l) => l.includes('"level":50'));
    expect(errors).toHaveLength(1);
  });

  it('gives up after STARTUP_RETRY_MS with a clear message and exit code 1', async () => {
    redis = await PrivateRedis.start();
    await redis.kill();
    const retryMs = 1500;
    server = await startServer({
      waitUntilReady: false,
      env: { REDIS_URL: redis.url, STARTUP_RETRY_MS: String(retryMs) },
    });
    // On a busy machine the first attempt alone may use up the whole limit: no attempt line is awaited.
    expect(await server.exited).toEqual({ code: 1, signal: null });
    // It names the limit it kept to: STARTUP_RETRY_MS, not the default half minute.
    expect(server.output()).toMatch(new RegExp(`gave up waiting for Redis.* after ${retryMs} ms`, 'i'));
  });
});

async function waitForCount(server: ChildServer, pattern: RegExp, count: number): Promise<void> {
  while (
    server
      .output()
      .split('\n')
      .filter((l) => pattern.test(l)).length < count
  ) {
    if (!server.running) throw new Error(`server exited:\n${server.output()}`);
    await sleep(25);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
