// The second attack round, one case per way in that the first round left open: a flood
// riding a stale cookie, a cross-site form that would replace a member's cookie, password
// spraying across names, one session queueing without bound, and a trust-everything proxy
// setting.
import type { SessionData } from 'express-session';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { sessionIdFromCookie } from '../../../src/session/store/session-id.js';
import { cartOf, csrfFrom, json, makeShop, type Shop, sessionCookie, visitor } from '../../helpers/shop.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a flood riding one stale session cookie', () => {
  it('counts every request whose cookie names no stored session as a new one, and meets 429', async () => {
    const shop = await makeShop({ env: { NEW_SESSION_IP_LIMIT: '20' }, demoAccounts: false });
    const first = await request(shop.app).get('/').set(json).expect(200);
    const stale = `shop.sid=${sessionCookie(first)}`;
    // The cookie is well signed, but its session is gone (as the pre-login one is).
    await destroyByCookie(shop, stale);

    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await request(shop.app)
        .post('/cart/items')
        .set('Cookie', stale)
        .set(json)
        .send({ productId: 'p-002' });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
  });

  it('keeps a guest’s cart and a member’s login through it, with a small store', async () => {
    const env = { NEW_SESSION_IP_LIMIT: '50', SESSION_STORE_MAX: '60', SESSION_EMPTY_STORE_MAX: '20' };
    const shop = await makeShop({ env });
    const { agent: guest } = await visitor(shop);
    await guest.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    const member = request.agent(shop.app);
    await member.post('/login').set(json).send({ username: 'ravi', password: 'ravi-demo-pass' }).expect(200);
    const stale = `shop.sid=${sessionCookie(await request(shop.app).get('/').set(json))}`;
    await destroyByCookie(shop, stale);

    for (let i = 0; i < 300; i++) {
      await request(shop.app).post('/cart/items').set('Cookie', stale).set(json).send({ productId: 'p-002' });
    }

    expect((await cartOf(guest)).lines).toEqual([expect.objectContaining({ productId: 'p-001', quantity: 2 })]);
    expect((await member.get('/account').set(json).expect(200)).body.user).toEqual({ username: 'ravi' });
  });
});

/** Deletes the stored session a cookie names, as a logout or an eviction would. */
async function destroyByCookie(shop: Shop, cookie: string): Promise<void> {
  const id = sessionIdFromCookie(cookie, 'shop.sid', shop.config.session.secrets);
  if (id === undefined) throw new Error('not a signed session cookie');
  await new Promise((resolve) => shop.services.sessionStore.destroy(id, resolve));
}

describe('a cross-site form post', () => {
  it('answers 403 before any session is made, and sets no cookie', async () => {
    const shop = await makeShop({ demoAccounts: false });
    const res = await request(shop.app)
      .post('/logout')
      .set('Sec-Fetch-Site', 'cross-site')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({})
      .expect(403);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await storedSessions(shop)).toBe(0);
  });

  it('leaves a member signed in: the browser keeps the member’s cookie', async () => {
    const shop = await makeShop();
    const member = request.agent(shop.app);
    await member.post('/login').set(json).send({ username: 'ravi', password: 'ravi-demo-pass' }).expect(200);
    // SameSite=Lax keeps the cookie off a cross-site POST: the request arrives without one.
    const res = await request(shop.app).post('/cart/clear').set('Sec-Fetch-Site', 'cross-site').type('form').send({});
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
    await member.get('/account').set(json).expect(200);
  });

  it('is refused even without Sec-Fetch-Site when its form carries no token and no session', async () => {
    const shop = await makeShop({ demoAccounts: false });
    const res = await request(shop.app).post('/cart/items').type('form').send({ productId: 'p-001' }).expect(403);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await storedSessions(shop)).toBe(0);
  });

  it('is refused without a new cookie when it carries a stale one', async () => {
    const shop = await makeShop({ demoAccounts: false });
    const stale = `shop.sid=${sessionCookie(await request(shop.app).get('/').set(json))}`;
    await destroyByCookie(shop, stale);
    const res = await request(shop.app)
      .post('/cart/items')
      .set('Cookie', stale)
      .type('form')
      .send({ productId: 'p-001', _csrf: 'forged' })
      .expect(403);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await storedSessions(shop)).toBe(0);
  });
});

const storedSessions = (shop: Shop) =>
  new Promise<number>((resolve, reject) =>
    shop.services.sessionStore.length?.((err, n) => (err ? reject(err) : resolve(n ?? 0))),
  );

describe('password spraying: one address, many names', () => {
  it('meets 429 before 40 failed logins to 40 names', async () => {
    const shop = await makeShop({ demoAccounts: false });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await request(shop.app)
        .post('/login')
        .set(json)
        .send({ username: `victim${i}`, password: 'Winter2026!' });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
  });

  it('is counted per address: another address still gets its own tries', async () => {
    const shop = await makeShop({ env: { TRUST_PROXY: 'loopback', LOGIN_IP_LIMIT: '3' } });
    const fail = (ip: string, n: number) =>
      request(shop.app)
        .post('/login')
        .set('X-Forwarded-For', ip)
        .set(json)
        .send({ username: `u${n}`, password: 'x' });
    for (let i = 0; i < 3; i++) expect((await fail('203.0.113.7', i)).status).toBe(401);
    expect((await fail('203.0.113.7', 9)).status).toBe(429);
    expect((await fail('198.51.100.9', 9)).status).toBe(401);
  });
});

describe('many requests queueing on one session', () => {
  it('turns away, at once and with Retry-After, all but SESSION_MAX_WAITING of them', async () => {
    const shop = await makeShop({ env: { SESSION_MAX_WAITING: '16' }, demoAccounts: false });
    const server = shop.app.listen(0, '127.0.0.1');
    const agent = request.agent(server);
    await agent.get('/').set(json).expect(200);
    // Each add reads its product's stock slowly, so the others have to queue.
    const stock = shop.services.stock;
    const levelOf = stock.levelOf.bind(stock);
    stock.levelOf = async (productId) => {
      await sleep(20);
      return levelOf(productId);
    };
    const answers = await Promise.all(
      Array.from({ length: 300 }, () => agent.post('/cart/items').set(json).send({ productId: 'p-001' })),
    ).finally(() => server.close());
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(100);
    expect(refused[0]?.headers['retry-after']).toBeDefined();
    expect(refused[0]?.body.error).toMatch(/too many requests/i);
    expect(answers.every((a) => a.status === 429 || a.status < 500)).toBe(true);
  });
});

describe('TRUST_PROXY=true', () => {
  it('is refused at start-up, naming the setting and what to use instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY.*loopback/s);
  });
});

describe('BREACH: the CSRF token in compressed pages', () => {
  it('is masked afresh on every page, never the session’s own, and every masked copy is accepted', async () => {
    const shop = await makeShop({ demoAccounts: false });
    const { agent, csrf: first } = await visitor(shop);
    const second = csrfFrom((await agent.get('/cart').expect(200)).text);
    const secret = (await agent.get('/session').set(json).expect(200)).body;
    expect(second).not.toBe(first);
    const stored = await storedToken(shop, agent);
    expect(first).not.toContain(stored);
    expect(second).not.toContain(stored);
    expect(JSON.stringify(secret)).not.toContain(stored); // the inspector redacts it
    for (const token of [first, second]) {
      await agent.post('/cart/items').type('form').send({ productId: 'p-001', _csrf: token }).expect(303);
    }
    await agent.post('/cart/items').type('form').send({ productId: 'p-001', _csrf: stored }).expect(403);
  });
});

/** The session's own CSRF token, read from the store. */
async function storedToken(shop: Shop, agent: request.Agent): Promise<string> {
  const res = await agent.get('/cart').set(json);
  const id = sessionIdFromCookie(`shop.sid=${sessionCookie(res)}`, 'shop.sid', shop.config.session.secrets);
  const data = await new Promise<SessionData | null | undefined>((resolve, reject) =>
    shop.services.sessionStore.get(id ?? '', (err, value) => (err ? reject(err) : resolve(value))),
  );
  const token = data?.csrfToken;
  if (typeof token !== 'string') throw new Error('no CSRF token in the session');
  return token;
}
