import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { json, makeShop, type Shop, sessionCookie } from '../helpers/shop.js';

const storeLength = (s: Shop) =>
  new Promise<number>((resolve, reject) =>
    s.services.sessionStore.length?.((err, n) => (err ? reject(err) : resolve(n ?? 0))),
  );

/** The session cookie of a response, as a Cookie header. */
function cookieHeader(res: { headers: Record<string, unknown> }): string {
  const value = sessionCookie(res);
  if (value === undefined) throw new Error('no session cookie set');
  return `shop.sid=${value}`;
}

const inspector = (s: Shop, cookie: string) => request(s.app).get('/session').set('Cookie', cookie).set(json);

describe.each([
  ['on', 'on'],
  ['off', 'off'],
])('SESSION_SAVE_UNINITIALIZED=false, inspector %s', (_label, inspectorSwitch) => {
  const shopWith = () =>
    makeShop({ env: { SESSION_SAVE_UNINITIALIZED: 'false', SESSION_INSPECTOR: inspectorSwitch }, demoAccounts: false });

  it('gives a first visit that stores nothing no cookie and no store entry', async () => {
    const shop = await shopWith();
    for (const path of ['/cart', '/', '/?q=kenya']) {
      const res = await request(shop.app).get(path).set(json).expect(200);
      expect(res.headers['set-cookie'], path).toBeUndefined();
    }
    expect(await storeLength(shop)).toBe(0);
  });

  it('creates both with the first add to the cart', async () => {
    const shop = await shopWith();
    const added = await request(shop.app).post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    expect(sessionCookie(added)).toBeDefined();
    expect(await storeLength(shop)).toBe(1);
    const cart = await request(shop.app).get('/cart').set('Cookie', cookieHeader(added)).set(json).expect(200);
    expect(cart.body.cart.count).toBe(1);
  });

  it('stores one for a product page: “recently viewed” lives in the session', async () => {
    const shop = await shopWith();
    const res = await request(shop.app).get('/products/ethiopia-yirgacheffe-beans-250-g').set(json).expect(200);
    expect(sessionCookie(res)).toBeDefined();
    expect(await storeLength(shop)).toBe(1);
  });

  it('still stores a session for a page with a form: its CSRF token lives in the session', async () => {
    const shop = await shopWith();
    const page = await request(shop.app).get('/').expect(200);
    expect(page.text).toMatch(/<meta name="csrf-token" content="[\w-]{171}">/); // masked (web/http/csrf.ts)
    expect(sessionCookie(page)).toBeDefined();
    expect(await storeLength(shop)).toBe(1);
  });
});

describe('SESSION_SAVE_UNINITIALIZED (default true)', () => {
  it('stores every first visit, even one that stores nothing', async () => {
    const shop = await makeShop({ demoAccounts: false });
    const res = await request(shop.app).get('/cart').set(json).expect(200);
    expect(sessionCookie(res)).toBeDefined();
    expect(await storeLength(shop)).toBe(1);
  });
});

describe('the timeline with SESSION_SAVE_UNINITIALIZED=false', () => {
  it('opens with `created` and the reason the session was stored: a form’s CSRF token', async () => {
    const shop = await makeShop({ env: { SESSION_SAVE_UNINITIALIZED: 'false' }, demoAccounts: false });
    const page = await request(shop.app).get('/login').expect(200);
    const body = (await inspector(shop, cookieHeader(page)).expect(200)).body;
    expect(body.timeline).toHaveLength(1);
    expect(body.timeline[0].event).toBe('created');
    expect(body.timeline[0].detail.reason).toMatch(/CSRF token/);
  });

  it('opens with `created` at the first add when nothing was stored before', async () => {
    const shop = await makeShop({ env: { SESSION_SAVE_UNINITIALIZED: 'false' }, demoAccounts: false });
    const added = await request(shop.app).post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    const body = (await inspector(shop, cookieHeader(added)).expect(200)).body;
    expect(body.timeline.map((e: { event: string }) => e.event)).toEqual(['created', 'cart.add']);
    expect(body.saveUninitialized).toBe(false);
  });
});
