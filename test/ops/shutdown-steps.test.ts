// shutdown() step by step, in this process: what it logs, answers and closes, and
// the exit code it ends with. shutdown.test.ts sends real signals to a real process;
// here the dependencies can be made to fail, which a signal cannot show.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type RedisClientType } from 'redis';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { shutdown } from '../../src/shutdown.js';
import { drainOf } from '../../src/web/http/drain.js';
import { RawConnection } from '../helpers/child-server.js';
import { recordingLogger } from '../helpers/log.js';
import { PrivateRedis, redisServerInstalled } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';
import { makeShop, type Shop } from '../helpers/shop.js';

let exits: MockInstance<typeof process.exit>;
let exited: Promise<number>;

beforeEach(() => {
  // shutdown() ends the process; here it ends the test instead.
  let done: (code: number) => void = () => {};
  exited = new Promise((resolve) => {
    done = resolve;
  });
  exits = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => done(code ?? 0)) as typeof process.exit);
});

afterEach(() => {
  exits.mockRestore();
});

/** A shop listening on a free port, with a log the test reads; no shutdown delay unless asked. */
async function runningShop(env: Record<string, string> = {}, redis?: RedisClientType) {
  const { logger, lines } = recordingLogger('info');
  const shop = await makeShop({ env: { SHUTDOWN_DELAY_MS: '0', ...env }, logger, redis, demoAccounts: false });
  const server = http.createServer(shop.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const messages = () => lines.map((line) => line.msg);
  return { shop, server, port, messages, logger };
}

/**
 * Runs shutdown for `signal`. Its last-resort timer (exit 1 should a step hang beyond
 * every bound) is the first timer it sets: it is kept from firing in the test runner,
 * which outlives this test.
 */
function stop(
  run: Awaited<ReturnType<typeof runningShop>>,
  signal = 'SIGTERM',
  { failed = false, pause }: { failed?: boolean; pause?: (ms: number) => Promise<void> } = {},
) {
  const timers = vi.spyOn(globalThis, 'setTimeout').mockImplementationOnce(((): NodeJS.Timeout => {
    const never = setInterval(() => {}, 1 << 30);
    clearInterval(never);
    return never;
  }) as unknown as typeof setTimeout);
  const stopping = shutdown(run.server, drainOf(run.shop.app), run.shop.services, run.logger, pause);
  void stopping(signal, failed);
  timers.mockRestore();
  return stopping;
}

/** The shutdown delay, held open until the test calls end(): no waiting on a real clock. */
function heldPause() {
  const asked: number[] = [];
  let end: () => void = () => {};
  const pause = (ms: number) => {
    asked.push(ms);
    return new Promise<void>((resolve) => {
      end = resolve;
    });
  };
  return { asked, pause, end: () => end() };
}

/** A keep-alive connection that has carried one answer and now sits idle. */
async function idleConnection(port: number): Promise<RawConnection> {
  const conn = await RawConnection.open(port);
  conn.send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  expect((await conn.next()).headers.connection).not.toBe('close');
  return conn;
}

/** Holds every stock read until `release()`: a request that stays in flight. */
function holdStock(shop: Shop) {
  const stock = shop.services.stock;
  const [levels, levelOf] = [stock.levels.bind(stock), stock.levelOf.bind(stock)];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached: () => void = () => {};
  const inFlight = new Promise<void>((resolve) => {
    reached = resolve;
  });
  stock.levels = async () => {
    reached();
    await gate;
    return levels();
  };
  stock.levelOf = async (productId) => {
    reached();
    await gate;
    return levelOf(productId);
  };
  return { inFlight, release };
}

describe('shutdown', () => {
  it('with nothing in flight: stops listening, closes the database and exits 0', async () => {
    const run = await runningShop();
    stop(run);
    expect(await exited).toBe(0);
    expect(run.messages().slice(0, 2)).toEqual([
      'SIGTERM: shutting down; /readyz answers 503, still serving for 0 ms',
      'Stopped accepting; waiting up to 10000 ms for 0 request(s) in flight',
    ]);
    expect(run.messages().at(-1)).toBe('shut down');
    expect(run.server.listening).toBe(false);
    await expect(run.shop.services.users.find('ravi')).rejects.toThrow();
  });

  it('serves on through SHUTDOWN_DELAY_MS, /readyz failing at once and each answer closing its connection', async () => {
    const run = await runningShop({ SHUTDOWN_DELAY_MS: '3000' });
    const [used, quiet] = await Promise.all([idleConnection(run.port), idleConnection(run.port)]);
    const delay = heldPause();
    stop(run, 'SIGTERM', { pause: delay.pause });
    expect(delay.asked).toEqual([3000]);

    const ready = await fetch(`http://127.0.0.1:${run.port}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining' });
    // The connection idle at SIGTERM still carries a request; its answer closes it.
    used.send('GET /cart HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n');
    const cart = await used.next();
    expect(cart.status).toBe(200);
    expect(cart.headers.connection).toBe('close');
    expect(await used.closed).toBe('end');
    // Still accepting, and the connection that stays idle is left open.
    expect((await fetch(`http://127.0.0.1:${run.port}/healthz`)).status).toBe(200);
    expect(run.server.listening).toBe(true);
    expect(await Promise.race([quiet.closed, Promise.resolve('open')])).toBe('open');
    expect(run.messages().filter((m) => m !== 'request completed')).toEqual([
      'SIGTERM: shutting down; /readyz answers 503, still serving for 3000 ms',
    ]);

    delay.end();
    // Once the delay is over: the idle connection is closed politely, and the process exits 0.
    expect(await quiet.closed).toBe('end');
    expect(await exited).toBe(0);
    expect(run.server.listening).toBe(false);
  });

  it('exits 1 after draining when the shutdown is for a failure, however often it is asked', async () => {
    const run = await runningShop();
    const stopping = stop(run, 'unhandledRejection', { failed: true });
    void stopping('SIGTERM');
    expect(await exited).toBe(1);
    expect(run.messages().filter((m) => /shutting down|^shut down$/.test(m))).toEqual([
      'unhandledRejection: shutting down; /readyz answers 503, still serving for 0 ms',
      'shut down',
    ]);
    expect(exits).toHaveBeenCalledTimes(1);
  });

  it('answers 503 to a request still running at the deadline, frees its lock, and exits 1', async () => {
    const run = await runningShop({ SHUTDOWN_DRAIN_MS: '100' });
    const { inFlight, release } = holdStock(run.shop);
    const answer = fetch(`http://127.0.0.1:${run.port}/cart/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Request-Id': 'cut-off-1' },
      body: JSON.stringify({ productId: 'p-001' }),
    });
    await inFlight;
    stop(run);
    const res = await answer;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('x-request-id')).toBe('cut-off-1');
    // fetch asks for gzip, as browsers do: the answer must not claim an encoding it lacks.
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.json()).toEqual({ error: 'The shop is restarting. Please try again in a moment.' });
    expect(await exited).toBe(1);
    expect(run.messages()).toContain('Drain deadline passed: answered 1 request(s) 503 that were still running');
    release();
  });

  it('still closes down and exits when the database will not close, saying so', async () => {
    const run = await runningShop();
    const db = run.shop.services.db;
    const destroy = db.destroy.bind(db);
    db.destroy = () => Promise.reject(new Error('disk gone'));
    stop(run, 'SIGINT');
    expect(await exited).toBe(0);
    expect(run.messages()).toContain('shutdown: closing the database failed');
    expect(run.messages().at(-1)).toBe('shut down');
    await destroy();
  });
});

describe.skipIf(!toolAvailable('redis-server', redisServerInstalled()))('shutdown with Redis', () => {
  let redis: PrivateRedis | undefined;
  afterEach(async () => {
    await redis?.stop();
  });

  async function connected(): Promise<RedisClientType> {
    redis = await PrivateRedis.start();
    const client: RedisClientType = createClient({ url: redis.url });
    await client.connect();
    return client;
  }

  it('closes the Redis connection before the database', async () => {
    const client = await connected();
    const run = await runningShop({}, client);
    stop(run);
    expect(await exited).toBe(0);
    expect(client.isOpen).toBe(false);
    expect(run.messages()).not.toContain('shutdown: closing Redis failed');
  });

  it('drops a Redis connection that will not close, and says so', async () => {
    const client = await connected();
    const run = await runningShop({}, client);
    client.close = () => Promise.reject(new Error('socket stuck'));
    stop(run);
    expect(await exited).toBe(0);
    expect(run.messages()).toContain('shutdown: closing Redis failed');
    expect(client.isOpen).toBe(false);
  });
});
