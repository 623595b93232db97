import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, makeShop, type Shop, sessionCookie, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeAll(async () => {
  shop = await makeShop({ demoAccounts: false });
});

const storeLength = (s: Shop) =>
  new Promise<number>((resolve, reject) =>
    s.services.sessionStore.length?.((err, n) => (err ? reject(err) : resolve(n ?? 0))),
  );

function setCookieHeader(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const found = (Array.isArray(raw) ? (raw as string[]) : []).find((c) => c.startsWith('shop.sid='));
  if (!found) throw new Error('no session cookie set');
  return found;
}

describe('the session cookie', () => {
  it('is set on the first page view, even for an anonymous visitor', async () => {
    const res = await request(shop.app).get('/').expect(200);
    expect(sessionCookie(res)).toBeDefined();
  });

  it('is httpOnly, SameSite=Lax, path /, not Secure outside production, and not named connect.sid', async () => {
    const cookie = setCookieHeader(await request(shop.app).get('/'));
    expect(cookie).toMatch(/^shop\.sid=s%3A/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
  });

  it('is Secure in production behind a TLS proxy', async () => {
    const prod = await makeShop({ env: { NODE_ENV: 'production', TRUST_PROXY: '1' }, demoAccounts: false });
    const res = await request(prod.app).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    expect(setCookieHeader(res)).toContain('Secure');
  });

  it('trusts no proxy in production unless TRUST_PROXY says so', async () => {
    const prod = await makeShop({ env: { NODE_ENV: 'production' }, demoAccounts: false });
    const res = await request(prod.app).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('lives briefly while the session is empty and long once it holds a cart', async () => {
    const short = await makeShop({
      env: { EMPTY_SESSION_TTL_MS: '60000', GUEST_CART_TTL_MS: '86400000' },
      demoAccounts: false,
    });
    const agent = request.agent(short.app);
    const expiry = (res: { headers: Record<string, unknown> }) =>
      Date.parse(/Expires=([^;]+)/.exec(setCookieHeader(res))?.[1] ?? '') - Date.now();
    const first = await agent.get('/');
    expect(expiry(first)).toBeLessThanOrEqual(60_000);
    const added = await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    expect(expiry(added)).toBeGreaterThan(23 * 3600_000);
    const cleared = await agent.post('/cart/clear').set(json).send({}).expect(200);
    expect(expiry(cleared)).toBeLessThanOrEqual(60_000);
  });

  it('is renewed on every response (rolling)', async () => {
    const { agent } = await visitor(shop);
    const res = await agent.get('/cart');
    expect(sessionCookie(res)).toBeDefined();
  });

  it('keeps its session across requests', async () => {
    const { agent } = await visitor(shop);
    const a = await agent.get('/session').set(json).expect(200);
    const b = await agent.get('/session').set(json).expect(200);
    expect(a.body.sessionId).toBe(b.body.sessionId);
  });
});

describe('requests that never create a session', () => {
  it('static files and /healthz set no cookie and store nothing', async () => {
    const fresh = await makeShop({ demoAccounts: false });
    for (const path of [
      '/healthz',
      '/css/shop.css',
      '/js/shop.js',
      '/favicon.svg',
      '/images/products/ethiopia-yirgacheffe-beans-250-g.svg',
    ]) {
      const res = await request(fresh.app).get(path).expect(200);
      expect(res.headers['set-cookie'], path).toBeUndefined();
    }
    expect(await storeLength(fresh)).toBe(0);
  });
});

describe('concurrent requests from one session', () => {
  it('keeps all 30 parallel adds of different products', async () => {
    const products = shop.catalog.products.filter((p) => p.stock > 0).slice(0, 25);
    // Thirty at once on one session: more than SESSION_MAX_WAITING's default lets queue.
    const big = await makeShop({ env: { CART_MAX_LINES: '50', SESSION_MAX_WAITING: '64' }, demoAccounts: false });
    const { agent } = await visitor(big);
    // 25 distinct in-stock products, plus 5 more adds of the first five.
    const adds = [...products, ...products.slice(0, 5)].map((p) =>
      agent.post('/cart/items').set(json).send({ productId: p.id, quantity: 1 }),
    );
    const answers = await Promise.all(adds);
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200));
    const cart = (await agent.get('/cart').set(json)).body.cart;
    expect(cart.lines).toHaveLength(25);
    expect(cart.count).toBe(30);
  });

  it('keeps a cart change made while a page view is in flight', async () => {
    const { agent } = await visitor(shop);
    const slug = shop.catalog.products[1]?.slug;
    // A product page writes "recently viewed"; it must not overwrite the add.
    await Promise.all([
      agent.get(`/products/${slug}`),
      agent.post('/cart/items').set(json).send({ productId: 'p-001' }),
      agent.get(`/products/${slug}`),
    ]);
    const cart = (await agent.get('/cart').set(json)).body.cart;
    expect(cart.count).toBe(1);
  });
});

describe('GET /session (inspector)', () => {
  it('shows the data, the cookie and a timeline of what happened, with the CSRF token redacted', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    await agent.post('/cart/items/p-001').set(json).send({ quantity: 1 }).expect(200);
    await agent.post('/preferences').set(json).send({ theme: 'dark' }).expect(200);
    const res = await agent.get('/session').set(json).expect(200);
    expect(res.body.store).toBe('memorystore');
    expect(res.body.sessionId).toMatch(/^.{6}…$/);
    expect(res.body.data.cart).toEqual({ lines: [{ productId: 'p-001', quantity: 1 }] });
    expect(res.body.data.csrfToken).toBe('[redacted]');
    expect(res.body.cookie).toMatchObject({ httpOnly: true, sameSite: 'lax' });
    expect(res.body.timeline.map((e: { event: string }) => e.event)).toEqual([
      'created',
      'cart.add',
      'cart.set',
      'preferences',
    ]);
  });

  it('is absent when the inspector is turned off', async () => {
    const off = await makeShop({ env: { SESSION_INSPECTOR: 'off' }, demoAccounts: false });
    await request(off.app).get('/session').expect(404);
  });
});
