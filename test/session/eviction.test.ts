// A flood of cookieless requests (each one stores an empty session, because
// saveUninitialized is on) must never evict a session that holds a cart or a user.
// Caps are tiny so a few hundred requests overflow them.
import session, { type SessionData, type Store } from 'express-session';
import createMemoryStore from 'memorystore';
import { createClient, type RedisClientType } from 'redis';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TieredStore } from '../../src/session/store/tiered-store.js';
import { PrivateRedis, redisServerInstalled } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';
import { cartOf, json, makeShop, type Shop } from '../helpers/shop.js';

const RAVI = { username: 'ravi', password: 'ravi-demo-pass' };
const FLOOD = 500;
const caps = { SESSION_STORE_MAX: '50', SESSION_EMPTY_STORE_MAX: '20' };

/** Cookieless page views, a few at a time, as a bot would send them. */
async function flood(s: Shop, count = FLOOD): Promise<void> {
  const batch = 25;
  for (let sent = 0; sent < count; sent += batch) {
    await Promise.all(Array.from({ length: batch }, () => request(s.app).get('/').expect(200)));
  }
}

const storeLength = (s: Shop) =>
  new Promise<number>((resolve, reject) =>
    s.services.sessionStore.length?.((err, n) => (err ? reject(err) : resolve(n ?? 0))),
  );

async function guestWithCart(s: Shop) {
  const agent = request.agent(s.app);
  await agent.get('/').expect(200);
  await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
  return agent;
}

async function member(s: Shop) {
  const agent = request.agent(s.app);
  await agent.post('/login').set(json).set('Content-Type', 'application/json').send(RAVI).expect(200);
  return agent;
}

let shop: Shop;

describe('a flood of cookieless requests', () => {
  beforeEach(async () => {
    shop = await makeShop({ env: caps });
  });

  it('keeps a guest’s cart and a member’s login', async () => {
    const guest = await guestWithCart(shop);
    const ravi = await member(shop);

    await flood(shop);

    expect((await cartOf(guest)).lines).toMatchObject([{ productId: 'p-001', quantity: 2 }]);
    const account = await ravi.get('/account').set(json).expect(200);
    expect(account.body.user).toEqual({ username: 'ravi' });
    // Still bounded: the flood filled the empty tier and no more.
    expect(await storeLength(shop)).toBeLessThanOrEqual(20 + 50);
  });

  it('keeps a session that gained a cart after it was created empty', async () => {
    const agent = request.agent(shop.app);
    await agent.get('/').expect(200);
    await flood(shop, 10); // still empty: it waits in the empty tier
    await agent.post('/cart/items').set(json).send({ productId: 'p-004' }).expect(200);

    await flood(shop, 200);

    expect((await cartOf(agent)).lines).toMatchObject([{ productId: 'p-004', quantity: 1 }]);
  });
});

describe('a guest’s chosen preferences', () => {
  beforeEach(async () => {
    shop = await makeShop({ env: caps });
  });

  it('keep the session through a flood, as a cart would', async () => {
    const agent = request.agent(shop.app);
    await agent.get('/').expect(200);
    await agent.post('/preferences').set(json).send({ theme: 'dark' }).expect(200);

    await flood(shop, 200);

    const res = await agent.get('/').set(json).expect(200);
    expect(res.body.prefs.theme).toBe('dark');
  });

  it('give the session the long lifetime of a cart', async () => {
    const long = await makeShop({ env: { EMPTY_SESSION_TTL_MS: '60000', GUEST_CART_TTL_MS: '86400000' } });
    const agent = request.agent(long.app);
    const expiresIn = (res: { headers: Record<string, unknown> }) => {
      const cookies = res.headers['set-cookie'];
      const cookie = (Array.isArray(cookies) ? (cookies as string[]) : []).find((c) => c.startsWith('shop.sid='));
      return Date.parse(/Expires=([^;]+)/.exec(cookie ?? '')?.[1] ?? '') - Date.now();
    };
    expect(expiresIn(await agent.get('/'))).toBeLessThanOrEqual(60_000);
    const chosen = await agent.post('/preferences').set(json).send({ sort: 'name' }).expect(200);
    expect(expiresIn(chosen)).toBeGreaterThan(23 * 3600_000);
  });
});

describe('a cart that is emptied', () => {
  beforeEach(async () => {
    shop = await makeShop({ env: caps });
  });

  it('makes its session evictable again, like any empty one', async () => {
    const agent = await guestWithCart(shop);
    await agent.post('/cart/clear').set(json).set('Content-Type', 'application/json').send({}).expect(200);

    await flood(shop, 200);

    // Evicted: the old cookie finds nothing, so the shopper is a fresh guest.
    const res = await agent.get('/session').set(json).expect(200);
    expect(res.body.timeline.map((e: { event: string }) => e.event)).toEqual(['created']);
  });
});

describe('TieredStore', () => {
  const MemoryStore = createMemoryStore(session);
  // A stored session holds only the keys that were set; SessionData declares them all.
  const stored = (data: Partial<SessionData>) =>
    ({ cookie: { originalMaxAge: 60_000, maxAge: 60_000 }, createdAt: 1, ...data }) as SessionData;
  const empty = stored({});
  const withCart = stored({ cart: { lines: [{ productId: 'p-001', quantity: 1 }] } });

  function tiered() {
    const tiers = { empty: new MemoryStore({ max: 3 }), kept: new MemoryStore({ max: 3 }) };
    return { tiers, store: new TieredStore(tiers) };
  }
  const get = (store: Store, sid: string) =>
    new Promise<SessionData | null | undefined>((resolve, reject) =>
      store.get(sid, (err, data) => (err ? reject(err) : resolve(data))),
    );
  const set = (store: Store, sid: string, data: SessionData) =>
    new Promise<void>((resolve, reject) => store.set(sid, data, (err) => (err ? reject(err) : resolve())));

  it('moves a session to the kept tier when it gains a cart, and back when it loses it', async () => {
    const { tiers, store } = tiered();
    await set(store, 'a', empty);
    expect([await get(tiers.empty, 'a'), await get(tiers.kept, 'a')]).toEqual([empty, undefined]);
    await set(store, 'a', withCart);
    expect([await get(tiers.empty, 'a'), await get(tiers.kept, 'a')]).toEqual([undefined, withCart]);
    await set(store, 'a', empty);
    expect([await get(tiers.empty, 'a'), await get(tiers.kept, 'a')]).toEqual([empty, undefined]);
    expect(await get(store, 'a')).toEqual(empty);
  });

  it('evicts only empty sessions when empty ones overflow their tier', async () => {
    const { store } = tiered();
    await set(store, 'cart', withCart);
    for (let i = 0; i < 10; i++) await set(store, `bot-${i}`, empty);
    expect(await get(store, 'cart')).toEqual(withCart);
    expect(await get(store, 'bot-0')).toBeNull();
    expect(await get(store, 'bot-9')).toEqual(empty);
  });

  it('keeps a session with chosen preferences in the kept tier', async () => {
    const { tiers, store } = tiered();
    const withPrefs = stored({ prefs: { theme: 'dark' } });
    await set(store, 'a', withPrefs);
    expect([await get(tiers.empty, 'a'), await get(tiers.kept, 'a')]).toEqual([undefined, withPrefs]);
    const nothingChosen = stored({ prefs: {} });
    await set(store, 'b', nothingChosen);
    expect([await get(tiers.empty, 'b'), await get(tiers.kept, 'b')]).toEqual([nothingChosen, undefined]);
  });

  it('destroys a session in both tiers', async () => {
    const { store } = tiered();
    await set(store, 'a', withCart);
    await new Promise((resolve) => store.destroy('a', resolve));
    expect(await get(store, 'a')).toBeNull();
  });
});

// Redis has no tiers: when it reaches maxmemory its eviction policy chooses. With
// volatile-ttl it drops the keys closest to expiry first, and empty sessions live
// EMPTY_SESSION_TTL_MS (30 min) against a cart's GUEST_CART_TTL_MS (7 days).
describe.skipIf(!toolAvailable('redis-server', redisServerInstalled()))(
  'Redis with maxmemory-policy volatile-ttl',
  () => {
    let server: PrivateRedis;
    let client: RedisClientType;

    beforeAll(async () => {
      server = await PrivateRedis.start();
      client = createClient({ url: server.url });
      client.on('error', () => {});
      await client.connect();
    });
    afterAll(async () => {
      await client?.disconnect().catch(() => {});
      await server?.stop();
    });

    const info = async (section: string, field: string) =>
      Number(new RegExp(`${field}:(\\d+)`).exec(await client.info(section))?.[1] ?? Number.NaN);

    it('evicts empty sessions and keeps carts, logins and the rate limits’ counts when memory runs out', async () => {
      // The flood comes from one address: above the new-session limit it would be refused (429).
      const redisShop = await makeShop({ redis: client, env: { NEW_SESSION_IP_LIMIT: '100000' } });
      const guest = await guestWithCart(redisShop);
      const ravi = await member(redisShop);
      // Three of the five failures a name may have from one address (login-limit.ts).
      const guess = () => request(redisShop.app).post('/login').set(json).send({ username: 'ravi', password: 'guess' });
      for (let i = 0; i < 3; i++) await guess().expect(401);
      // Redis counts its clients' buffers in used_memory too, and a flood's burst of parallel
      // commands grows them: measured idle, a small margin can be eaten by the buffers alone,
      // which leaves nothing evictable and makes every write fail (OOM). So the margin is
      // measured after a first burst, and is several times what the buffers take in one.
      await flood(redisShop, 100);
      const room = (await info('memory', 'used_memory')) + 400_000;
      await client.configSet({ 'maxmemory-policy': 'volatile-ttl', maxmemory: String(room) });

      await flood(redisShop, 1200);

      expect(await info('stats', 'evicted_keys')).toBeGreaterThan(0);
      expect((await cartOf(guest)).lines).toMatchObject([{ productId: 'p-001', quantity: 2 }]);
      const account = await ravi.get('/account').set(json).expect(200);
      expect(account.body.user).toEqual({ username: 'ravi' });
      // The count survived: two more failures, then the limit. An evicted count starts again at 0.
      for (let i = 0; i < 2; i++) await guess().expect(401);
      await guess().expect(429);
    });
  },
);
