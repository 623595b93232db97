// Sessions on a redis-server of the test's own, which is made slow, paused and
// read-only: no acknowledged change may be lost, and no request may hang.
import type { RedisClientType } from 'redis';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { seedDemoAccounts } from '../../src/accounts/demo.js';
import { sessionIdFromCookie } from '../../src/session/store/session-id.js';
import { redisServerInstalled, usePrivateRedis } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';
import { cartOf, csrfFrom, decode, json, makeShop, type Shop, sessionCookie } from '../helpers/shop.js';

const available = toolAvailable('redis-server', redisServerInstalled());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STORE_TIMEOUT_MS = 500;

describe.skipIf(!available)('sessions in Redis when Redis misbehaves', () => {
  const redis = usePrivateRedis();
  let admin: RedisClientType | undefined;

  async function shopOnRedis(env: Record<string, string> = {}): Promise<Shop> {
    const client = await redis.client();
    admin = client;
    return makeShop({
      redis: client,
      env: { STORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS), ...env },
      demoAccounts: false,
    });
  }

  it('keeps an add answered while another instance’s slow request outlived the lease', async () => {
    const env = { LOCK_LEASE_MS: '300' };
    const [one, two] = [await shopOnRedis(env), await shopOnRedis(env)];
    const agent = request.agent(one.app);
    const cookie = `shop.sid=${sessionCookie(await agent.get('/').set(json)) ?? ''}`;
    // A on instance one: its stock read takes four leases.
    const stock = one.services.stock;
    const levelOf = stock.levelOf.bind(stock);
    stock.levelOf = async (productId) => {
      stock.levelOf = levelOf;
      await sleep(1200);
      return levelOf(productId);
    };
    const slow = request(one.app).post('/cart/items').set('Cookie', cookie).set(json).send({ productId: 'p-001' });
    const slowDone = slow.then((res) => res.status);
    await sleep(100);
    // B on instance two, answered 200: its add must be in the cart in the end.
    await request(two.app).post('/cart/items').set('Cookie', cookie).set(json).send({ productId: 'p-002' }).expect(200);
    expect(await slowDone).toBe(200);
    const cart = (await request(two.app).get('/cart').set('Cookie', cookie).set(json)).body.cart;
    expect(cart.lines.map((l: { productId: string }) => l.productId).sort()).toEqual(['p-001', 'p-002']);
  });

  it('refuses, and does not store, a change whose session lock was taken over before it was written', async () => {
    const shop = await shopOnRedis();
    const agent = request.agent(shop.app);
    const first = await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    const sessionId = sessionIdFromCookie(`shop.sid=${sessionCookie(first)}`, 'shop.sid', shop.config.session.secrets);
    const [sessionKey, lockKey] = [`shop:sess:${sessionId}`, `shop:lock:${sessionId}`];
    const stored = await admin?.get(sessionKey);
    expect(stored).toContain('p-001');
    // While the add runs, its lock goes to someone else (as after a lapsed lease).
    const stock = shop.services.stock;
    const levelOf = stock.levelOf.bind(stock);
    stock.levelOf = async (productId) => {
      stock.levelOf = levelOf;
      await admin?.set(lockKey, 'another-instance');
      return levelOf(productId);
    };

    const res = await agent.post('/cart/items').set(json).send({ productId: 'p-002' });

    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(/took too long and your change was not saved/);
    expect(await admin?.get(sessionKey)).toBe(stored);
    expect(await admin?.get(lockKey)).toBe('another-instance'); // the other holder's lock is left alone
    await admin?.del(lockKey);
    expect((await cartOf(agent)).lines).toEqual([expect.objectContaining({ productId: 'p-001', quantity: 1 })]);
  });

  it('answers 503 within STORE_TIMEOUT_MS while Redis is paused, and recovers by itself', async () => {
    const shop = await shopOnRedis();
    const agent = request.agent(shop.app);
    await agent.get('/').expect(200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    redis.server().pause();
    try {
      for (const send of [
        () => agent.get('/cart').set(json),
        () => agent.post('/cart/items').set(json).send({ productId: 'p-002' }),
      ]) {
        const started = Date.now();
        const res = await send();
        expect(Date.now() - started).toBeLessThan(STORE_TIMEOUT_MS + 1000);
        expect(res.status).toBe(503);
        expect(res.body.error).toMatch(/session store is unavailable/);
      }
    } finally {
      redis.server().resume();
    }
    await sleep(100);
    expect((await cartOf(agent)).lines).toEqual([expect.objectContaining({ productId: 'p-001', quantity: 1 })]);
    await agent.post('/cart/items').set(json).send({ productId: 'p-002' }).expect(200);
  });

  it('answers 503, never 200 or a redirect, when Redis refuses to store the session', async () => {
    const shop = await shopOnRedis();
    const agent = request.agent(shop.app);
    const csrf = csrfFrom((await agent.get('/').expect(200)).text);
    // Sessions become read-only; locks still work, so the refusal comes from the save itself.
    await admin?.sendCommand(['ACL', 'SETUSER', 'default', 'resetkeys', '~shop:lock:*', '%R~shop:sess:*']);
    try {
      const viaJson = await agent.post('/cart/items').set(json).send({ productId: 'p-001' });
      expect(viaJson.status).toBe(503);
      expect(viaJson.body.error).toMatch(/session store is unavailable/);
      const viaForm = await agent.post('/cart/items').type('form').send({ productId: 'p-001', _csrf: csrf });
      expect(viaForm.status).toBe(503);
      expect(viaForm.headers.location).toBeUndefined();
      expect(viaForm.text).toMatch(/session store is unavailable/);
    } finally {
      await admin?.sendCommand(['ACL', 'SETUSER', 'default', 'resetkeys', '~*']);
    }
    expect((await cartOf(agent)).lines).toEqual([]);
  });

  it('keeps a member’s add that Redis refused to store out of the saved cart too', async () => {
    const shop = await shopOnRedis();
    await seedDemoAccounts(shop.services.users);
    const member = request.agent(shop.app);
    await member.post('/login').set(json).send({ username: 'ravi', password: 'ravi-demo-pass' }).expect(200);
    await member.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    await admin?.sendCommand(['ACL', 'SETUSER', 'default', 'resetkeys', '~shop:lock:*', '%R~shop:sess:*']);
    try {
      await member.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 2 }).expect(503);
    } finally {
      await admin?.sendCommand(['ACL', 'SETUSER', 'default', 'resetkeys', '~*']);
    }
    const ravi = await shop.services.users.find('ravi');
    const saved = await shop.services.savedCarts.load(ravi?.id ?? '');
    expect(saved.lines).toEqual([{ productId: 'p-001', quantity: 1 }]);
    expect((await cartOf(member)).lines).toEqual([expect.objectContaining({ productId: 'p-001', quantity: 1 })]);
  });

  it('answers 503 "full", never 500, to a new visitor and a login when Redis is out of memory', async () => {
    const shop = await shopOnRedis();
    await seedDemoAccounts(shop.services.users);
    const guest = request.agent(shop.app);
    await guest.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    // No eviction, and no room left: every command that needs memory is refused with OOM.
    const used = Number(/used_memory:(\d+)/.exec((await admin?.info('memory')) ?? '')?.[1]);
    await admin?.configSet({ 'maxmemory-policy': 'noeviction', maxmemory: String(used) });
    try {
      await admin?.set('ballast', 'x'.repeat(64 * 1024)).catch(() => {});
      const FULL = 'The session store is full, so nothing new can be saved right now. Please try again later.';
      for (const res of [
        await request(shop.app).get('/').set(json),
        await request(shop.app).get('/'),
        await guest.post('/login').set(json).send({ username: 'ravi', password: 'ravi-demo-pass' }),
      ]) {
        expect(res.status, res.text.slice(0, 300)).toBe(503);
        expect(res.headers['retry-after']).toBeDefined();
        if (res.type === 'application/json') expect(res.body.error).toBe(FULL);
        else expect(decode(res.text)).toContain(FULL);
      }
    } finally {
      await admin?.configSet({ maxmemory: '0' });
    }
    // Nothing was lost: the guest is still a guest with the cart, and the login goes through now.
    expect((await cartOf(guest)).lines).toEqual([expect.objectContaining({ productId: 'p-001', quantity: 1 })]);
    await guest.post('/login').set(json).send({ username: 'ravi', password: 'ravi-demo-pass' }).expect(200);
  });
});
