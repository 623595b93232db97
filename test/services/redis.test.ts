// Scale-out with Redis: sessions, the per-session lock and the login rate limit
// shared by several app instances, against a real Redis server.
import { createClient, type RedisClientType } from 'redis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { REDIS_URL, serviceAvailable } from '../helpers/services.js';
import { json, makeShop, type Shop, sessionCookie } from '../helpers/shop.js';

const available = await serviceAvailable('Redis', REDIS_URL);

describe.skipIf(!available)('with Redis', () => {
  let redis: RedisClientType;
  let a: Shop;
  let b: Shop;

  beforeAll(async () => {
    redis = createClient({ url: REDIS_URL });
    await redis.connect();
    // Two instances of the store behind one load balancer: same database, same Redis.
    const db = await openDatabase(':memory:');
    a = await makeShop({ redis, db });
    b = await makeShop({ redis, db, demoAccounts: false });
  });

  afterAll(async () => {
    await redis?.quit();
  });

  /** A cookie jar shared by hand, so requests can alternate between the two instances. */
  async function shopperOn(first: Shop) {
    const res = await request(first.app).get('/').expect(200);
    const cookie = `shop.sid=${sessionCookie(res)}`;
    return cookie;
  }

  it('stores the session in Redis with a TTL that follows the cookie', async () => {
    const cookie = await shopperOn(a);
    await request(a.app).post('/cart/items').set('Cookie', cookie).set(json).send({ productId: 'p-001' }).expect(200);
    const inspector = await request(a.app).get('/session').set('Cookie', cookie).set(json).expect(200);
    expect(inspector.body.store).toBe('redis');
    const keys = await redis.keys('shop:sess:*');
    expect(keys.length).toBeGreaterThan(0);
    const sid = decodeURIComponent(cookie.slice('shop.sid='.length)).slice(2).split('.')[0];
    const ttl = await redis.ttl(`shop:sess:${sid}`);
    expect(ttl).toBeGreaterThan(6 * 24 * 3600); // a session with a cart lives 7 days
  });

  it('serves one shopper from either instance', async () => {
    const cookie = await shopperOn(a);
    await request(a.app)
      .post('/cart/items')
      .set('Cookie', cookie)
      .set(json)
      .send({ productId: 'p-001', quantity: 2 })
      .expect(200);
    const res = await request(b.app).get('/cart').set('Cookie', cookie).set(json).expect(200);
    expect(res.body.cart.count).toBe(2);
  });

  it('keeps all 30 parallel adds spread over two instances', async () => {
    const cookie = await shopperOn(a);
    const products = a.catalog.products.filter((p) => p.stock > 0).slice(0, 25);
    const adds = [...products, ...products.slice(0, 5)].map((p, i) =>
      request((i % 2 === 0 ? a : b).app)
        .post('/cart/items')
        .set('Cookie', cookie)
        .set(json)
        .send({ productId: p.id }),
    );
    const answers = await Promise.all(adds);
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200));
    const cart = (await request(b.app).get('/cart').set('Cookie', cookie).set(json)).body.cart;
    expect(cart.lines).toHaveLength(25);
    expect(cart.count).toBe(30);
  });

  it('deletes the pre-login session from Redis at login', async () => {
    const cookie = await shopperOn(a);
    const sid = decodeURIComponent(cookie.slice('shop.sid='.length)).slice(2).split('.')[0];
    expect(await redis.exists(`shop:sess:${sid}`)).toBe(1);
    const login = await request(b.app)
      .post('/login')
      .set('Cookie', cookie)
      .set(json)
      .send({ username: 'ravi', password: 'ravi-demo-pass' })
      .expect(200);
    expect(sessionCookie(login)).toBeDefined();
    expect(await redis.exists(`shop:sess:${sid}`)).toBe(0);
  });

  it('counts failed logins across instances', async () => {
    const username = `nobody-${Date.now()}`;
    for (let i = 0; i < 5; i++) {
      await request((i % 2 === 0 ? a : b).app)
        .post('/login')
        .set(json)
        .send({ username, password: 'wrong' })
        .expect(401);
    }
    const res = await request(a.app).post('/login').set(json).send({ username, password: 'wrong' }).expect(429);
    expect(res.body.error).toContain('Too many failed login attempts');
  });
});
