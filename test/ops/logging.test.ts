// The access log: whoever reads the logs must not be able to take over a shopper's
// session, so no session cookie (request `cookie`, response `set-cookie`) ever
// reaches a log line; health probes stay out of it altogether.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { json, makeShop, sessionCookie } from '../helpers/shop.js';

/** A real pino logger writing into memory, one entry per line. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), lines };
}

/** Every form a cookie value could take in a log: as sent, URL-decoded, and the bare session ID. */
function formsOf(cookie: string): string[] {
  const decoded = decodeURIComponent(cookie);
  const sessionId = decoded.slice(2).split('.')[0] ?? decoded;
  return [cookie, decoded, sessionId];
}

describe('the access log', () => {
  it('never contains a session cookie, sent or received, across a login', async () => {
    const { logger, lines } = capturedLogger();
    const shop = await makeShop({ logger });
    const agent = request.agent(shop.app);

    const guest = sessionCookie(await agent.get('/').expect(200));
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    const login = await agent
      .post('/login')
      .set(json)
      .send({ username: 'ravi', password: 'ravi-demo-pass' })
      .expect(200);
    const member = sessionCookie(login);
    await agent.get('/account').set(json).expect(200);
    await agent.get('/no-such-page').set(json).expect(404);

    expect(guest).toBeDefined();
    expect(member).toBeDefined();
    expect(lines.length).toBeGreaterThanOrEqual(5); // one per request at least: the log is not just empty
    for (const cookie of [guest ?? '', member ?? '']) {
      for (const form of formsOf(cookie)) {
        expect(lines.filter((line) => line.includes(form))).toEqual([]);
      }
    }
  });

  it('keeps what an operator needs: method, url, status, response time, request id', async () => {
    const { logger, lines } = capturedLogger();
    const shop = await makeShop({ logger });
    await request(shop.app).get('/cart').set(json).expect(200);
    const entry = lines.map((l) => JSON.parse(l)).find((e) => e.req?.url === '/cart');
    expect(entry).toMatchObject({ req: { method: 'GET', url: '/cart' }, res: { statusCode: 200 } });
    expect(entry.req.id).toBeDefined();
    expect(typeof entry.responseTime).toBe('number');
  });

  it('leaves /healthz and /readyz out', async () => {
    const { logger, lines } = capturedLogger();
    const shop = await makeShop({ logger });
    await request(shop.app).get('/healthz').expect(200);
    await request(shop.app).get('/readyz');
    await request(shop.app).get('/healthz?probe=1').expect(200);
    expect(lines).toEqual([]);
  });
});
