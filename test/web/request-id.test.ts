// Request ids: an X-Request-Id sent in (by HAProxy, deploy/haproxy.cfg) is kept when it is
// a sane token, otherwise each request gets its own; either way it comes back on the
// answer, whatever the answer, and is on every log line of that request.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { requestIdFrom } from '../../src/web/http/request-id.js';
import { type LogLine, recordingLogger } from '../helpers/log.js';
import { json, makeShop } from '../helpers/shop.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The ids of the request lines logged for `url`, in order. */
function idsLoggedFor(lines: LogLine[], url: string): unknown[] {
  return lines
    .filter((l) => (l.req as { url?: string } | undefined)?.url === url)
    .map((l) => (l.req as { id: unknown }).id);
}

describe('requestIdFrom', () => {
  it('keeps 1 to 128 letters, digits and . _ : -', () => {
    for (const id of ['a', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'lb1:0A2F.77_x-1', 'x'.repeat(128)]) {
      expect(requestIdFrom(id)).toBe(id);
    }
  });

  it('replaces an empty, too long or odd one, and none, with a new UUID', () => {
    const odd = ['', 'x'.repeat(129), 'a b', 'a\nb', 'a\r\nX-Evil: 1', 'a\tb', '"quoted"', 'café', 'a,b', 'a/b'];
    for (const sent of [...odd, undefined, ['a', 'b']]) expect(requestIdFrom(sent)).toMatch(UUID);
  });
});

describe('X-Request-Id', () => {
  it('comes back as it was sent, and is on the request’s log line', async () => {
    const { logger, lines } = recordingLogger();
    const shop = await makeShop({ logger });
    const res = await request(shop.app).get('/cart').set(json).set('X-Request-Id', 'lb1:7F00.01_shop-42').expect(200);
    expect(res.headers['x-request-id']).toBe('lb1:7F00.01_shop-42');
    expect(idsLoggedFor(lines, '/cart')).toEqual(['lb1:7F00.01_shop-42']);
  });

  it('is on the lines a handler logs through req.log, beside the access line', async () => {
    const { logger, lines } = recordingLogger();
    const shop = await makeShop({ logger });
    const agent = request.agent(shop.app);
    await agent.post('/login').set(json).send({ username: 'ravi', password: 'ravi-demo-pass' }).expect(200);
    await agent.post('/logout').set(json).set('X-Request-Id', 'logout-1').send({}).expect(200);
    const logout = lines.filter((l) => (l.req as { url?: string } | undefined)?.url === '/logout');
    expect(logout.map((l) => l.msg)).toEqual(['logout', 'request completed']);
    expect(logout.map((l) => (l.req as { id: unknown }).id)).toEqual(['logout-1', 'logout-1']);
  });

  it('replaces one that is too long, has a space, or came twice, and logs the replacement', async () => {
    const { logger, lines } = recordingLogger();
    const shop = await makeShop({ logger });
    // An array is sent as two X-Request-Id headers, which Node joins as "first, second".
    for (const sent of ['x'.repeat(129), 'quote me', ['first', 'second']]) {
      const res = await request(shop.app).get('/cart').set(json).set({ 'X-Request-Id': sent }).expect(200);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(idsLoggedFor(lines, '/cart').at(-1)).toBe(res.headers['x-request-id']);
    }
    expect(lines.map((l) => JSON.stringify(l)).join('\n')).not.toMatch(/quote me|x{129}|first|second/);
  });

  it('without one, gives each answer its own, and logs that one', async () => {
    const { logger, lines } = recordingLogger();
    const shop = await makeShop({ logger });
    const agent = request.agent(shop.app);
    const sent: unknown[] = [];
    for (let i = 0; i < 5; i++) sent.push((await agent.get('/cart').set(json).expect(200)).headers['x-request-id']);
    for (const id of sent) expect(id).toMatch(UUID);
    expect(new Set(sent).size).toBe(5);
    expect(idsLoggedFor(lines, '/cart')).toEqual(sent);
  });

  it('comes back on a 404, a CSRF refusal and a health probe', async () => {
    const shop = await makeShop();
    const agent = request.agent(shop.app);
    await agent.get('/').expect(200);
    const answers = [
      await agent.get('/no-such-page').set('X-Request-Id', 'r-404').expect(404),
      await agent
        .post('/cart/items')
        .type('form')
        .send({ productId: 'p-001' })
        .set('X-Request-Id', 'r-403')
        .expect(403),
      await request(shop.app).get('/healthz').set('X-Request-Id', 'r-probe').expect(200),
    ];
    expect(answers.map((res) => res.headers['x-request-id'])).toEqual(['r-404', 'r-403', 'r-probe']);
  });

  it('comes back on a 429 from the new-session limit, and is logged with it', async () => {
    const { logger, lines } = recordingLogger();
    const shop = await makeShop({ logger, env: { NEW_SESSION_IP_LIMIT: '1' } });
    await request(shop.app).get('/').set(json).expect(200);
    const refused = await request(shop.app).get('/').set(json).set('X-Request-Id', 'flood-2').expect(429);
    expect(refused.headers['x-request-id']).toBe('flood-2');
    const line = lines.find((l) => (l.req as { id?: unknown } | undefined)?.id === 'flood-2');
    expect(line).toMatchObject({ msg: 'request completed', res: { statusCode: 429 } });
  });
});
