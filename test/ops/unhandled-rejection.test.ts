// A promise that rejects with nobody to catch it, in the real process: the error goes
// to the log, and the process leaves as on SIGTERM (out of rotation, requests in flight
// answered) but exits 1, so its supervisor sees a failure. Node's default would print
// the error outside the log and exit at once, cutting the request in flight.
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildServer, RawConnection, startServer } from '../helpers/child-server.js';

const BODY = JSON.stringify({ productId: 'p-001', quantity: 1 });

let server: ChildServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('an unhandled promise rejection', () => {
  it('is logged, then the process drains and exits 1', async () => {
    server = await startServer({ entry: 'test/helpers/rejecting-server.ts', env: { SHUTDOWN_DELAY_MS: '200' } });
    // An add in flight: headers sent, body held back until the app has taken it (100 Continue).
    const add = await RawConnection.open(server.port);
    add.send(
      'POST /cart/items HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    expect((await add.next()).status).toBe(100);

    server.kill('SIGUSR2');
    const logged = JSON.parse(await server.waitForOutput(/Unhandled promise rejection/));
    expect(logged).toMatchObject({ level: 60, err: { message: 'a promise nobody awaited' } });
    expect(logged.err.stack).toMatch(/rejecting-server/);
    const probe = await RawConnection.open(server.port);
    probe.send('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect((await probe.next()).status).toBe(503);

    add.send(BODY);
    const added = await add.next();
    expect(added.status).toBe(200);
    expect(added.headers.connection).toBe('close');
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.output()).toMatch(/unhandledRejection: shutting down/);
  });
});
