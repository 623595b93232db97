// Oversized and forged requests: bodies, fields, nesting, headers and URLs beyond the
// limits, bad encodings, and forged session cookies must be refused or start afresh.
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { json, sessionCookie } from '../../helpers/shop.js';
import { attackShop, RAVI, type Shopper, snapshot } from './fixture.js';

const { shop, shopperWithCart, rawGet } = attackShop();

describe('oversized and forged requests', () => {
  const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}=1`).join('&');
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const postJson = (v: Shopper, path: string, body: string | object) =>
    v.agent.post(path).set(json).type('json').send(body);
  const postForm = (v: Shopper, body: string | object) => v.agent.post('/cart/items').type('form').send(body);
  const pad = 'x'.repeat(17_000);
  const SENDS: [string, (v: Shopper) => PromiseLike<{ status: number }>, number][] = [
    ['a JSON body over 16 KB', (v) => postJson(v, '/cart/items', { productId: 'p-002', pad }), 413],
    ['a form body over 16 KB', (v) => postForm(v, { productId: 'p-002', pad, _csrf: v.csrf }), 413],
    ['a login body over 16 KB', (v) => postJson(v, '/login', { ...RAVI, pad }), 413],
    ['51 form fields', (v) => postForm(v, `${fields(50)}&_csrf=${v.csrf}`), 413],
    ['3,000 form fields', (v) => postForm(v, fields(3_000)), 413],
    ['JSON nested 2,000 deep', (v) => postJson(v, '/cart/items', nested(2_000)), 422],
    ['an unknown Content-Encoding', (v) => postJson(v, '/cart/items', '{}').set('Content-Encoding', 'x-evil'), 415],
    ['a gzip body that is not gzip', (v) => postJson(v, '/cart/items', '{}').set('Content-Encoding', 'gzip'), 400],
    ['a non-UTF charset', (v) => postJson(v, '/cart/items', '{}').type('application/json; charset=latin1'), 415],
    ['a 20 KB Cookie header', () => rawGet('/', { Cookie: `shop.sid=${'a'.repeat(20_000)}` }), 431],
    ['a 20 KB header', () => rawGet('/', { 'X-Padding': 'a'.repeat(20_000) }), 431],
    ['a 20 KB URL', () => rawGet(`/?q=${'a'.repeat(20_000)}`), 431],
  ];

  for (const [what, send, status] of SENDS) {
    it(`answers ${status} to ${what}, session unchanged`, async () => {
      const v = await shopperWithCart();
      const before = await snapshot(v.agent);
      expect((await send(v)).status).toBe(status);
      expect(await snapshot(v.agent)).toEqual(before);
    });
  }

  // Each turns the victim's cookie (s:ID.signature, URL-encoded) into a forgery.
  const sign = (id: string, secret: string) =>
    createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '');
  const idOf = (cookie: string) => decodeURIComponent(cookie).slice(2).split('.')[0] ?? '';
  const COOKIES: [string, (victim: string) => string][] = [
    ['s:abc.def', () => 's:abc.def'],
    ['s: alone', () => 's:'],
    ['4 KB of junk', () => 'x'.repeat(4_000)],
    ['s: and 4 KB of junk', () => `s%3A${'x'.repeat(4_000)}`],
    ['broken percent-encoding', () => '%E0%A4%A'],
    ['the victim’s ID without a signature', (victim) => `s:${idOf(victim)}`],
    ['the victim’s ID with a forged signature', (victim) => `s:${idOf(victim)}.${'A'.repeat(43)}`],
    ['the victim’s ID signed with another secret', (victim) => `s:${idOf(victim)}.${sign(idOf(victim), 'guessed')}`],
    ['the victim’s bare ID', (victim) => idOf(victim)],
  ];

  for (const [what, forge] of COOKIES) {
    it(`treats a session cookie of ${what} as a new session`, async () => {
      const victim = sessionCookie(await (await shopperWithCart()).agent.get('/cart').expect(200));
      if (victim === undefined) throw new Error('no session cookie');
      const res = await request(shop().app)
        .get('/session')
        .set(json)
        .set('Cookie', `shop.sid=${forge(victim)}`)
        .expect(200);
      expect(res.body.timeline.map((e: { event: string }) => e.event)).toEqual(['created']);
      expect(res.body.data.cart).toBeUndefined();
      expect(sessionCookie(res)).toBeDefined();
      expect(sessionCookie(res)).not.toBe(victim);
    });
  }
});
