// Graceful shutdown of the real process: SIGTERM fails /readyz first, serves on for
// SHUTDOWN_DELAY_MS while the load balancer notices, lets requests in flight finish,
// closes keep-alive connections politely and exits 0; past the drain deadline, what is
// still running is answered 503.
//
// The slow request is an honest one: the client sends `Expect: 100-continue` and
// holds its body back (as curl does for uploads). Node answers "100 Continue" as it
// hands the request to the app, so once the test reads it the request is in flight.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ChildServer, RawConnection, startServer } from '../helpers/child-server.js';

// A process starts and stops in seconds, or in a minute on a machine that is busy with
// other work: the tests wait for what the process says and does, never for a clock.
vi.setConfig({ testTimeout: 180_000 });

const BODY = JSON.stringify({ productId: 'p-001', quantity: 1 });

let server: ChildServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Starts POST /cart/items and returns once the app is handling it, body not yet sent. */
async function startSlowAdd(port: number): Promise<RawConnection> {
  const conn = await RawConnection.open(port);
  conn.send(
    'POST /cart/items HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n' +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\nExpect: 100-continue\r\n\r\n`,
  );
  expect((await conn.next()).status).toBe(100);
  return conn;
}

describe('SIGTERM', () => {
  it('fails /readyz at once and serves on through the delay, each answer closing its connection', async () => {
    // Long enough for the few requests below to land inside it on a busy machine.
    server = await startServer({ env: { SHUTDOWN_DELAY_MS: '8000', SHUTDOWN_DRAIN_MS: '20000' } });
    const [used, quiet] = await Promise.all([RawConnection.open(server.port), RawConnection.open(server.port)]);
    for (const conn of [used, quiet]) {
      conn.send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect((await conn.next()).headers.connection).not.toBe('close');
    }
    const slow = await startSlowAdd(server.port);

    server.kill('SIGTERM');
    await server.waitForOutput(/shutting down/i);

    // Load balancers see "draining" at once.
    const probe = await RawConnection.open(server.port);
    probe.send('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const ready = await probe.next();
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'draining' });
    expect(ready.headers.connection).toBe('close');

    // A keep-alive connection idle at SIGTERM is not cut: its next request is served, and
    // the connection closed politely after that answer.
    used.send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const answered = await used.next();
    expect(answered.status).toBe(200);
    expect(answered.headers.connection).toBe('close');
    expect(await used.closed).toBe('end');
    // New connections are still accepted and served.
    const fresh = await RawConnection.open(server.port);
    fresh.send('GET /cart HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n');
    expect((await fresh.next()).status).toBe(200);
    expect(await Promise.race([quiet.closed, Promise.resolve('open')])).toBe('open');

    // The request in flight completes normally, and its connection is closed after it.
    slow.send(BODY);
    const added = await slow.next();
    expect(added.status).toBe(200);
    expect(JSON.parse(added.body).cart.count).toBe(1);
    expect(added.headers.connection).toBe('close');
    expect(await slow.closed).toBe('end');

    // Once the delay is over, the connection that stayed idle throughout is closed, not reset.
    expect(await quiet.closed).toBe('end');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/Stopped accepting/);
  });

  it('answers 503 to a request still running at the drain deadline, then exits', async () => {
    const [delayMs, drainMs] = [200, 1000];
    server = await startServer({ env: { SHUTDOWN_DELAY_MS: String(delayMs), SHUTDOWN_DRAIN_MS: String(drainMs) } });
    const stuck = await startSlowAdd(server.port); // its body never comes

    const sent = Date.now();
    server.kill('SIGTERM');
    const answer = await stuck.next();
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBeDefined();
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body).error).toMatch(/try again/i);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(delayMs + drainMs); // not before the deadline

    // Forced: the requests that were cut off make it an unclean stop.
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.output()).toMatch(/1 request/);
  });
});
