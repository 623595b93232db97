// Redis with an append-only file (appendonly yes, appendfsync everysec), as
// docs/operating.md suggests for a restart that keeps carts: Redis is shut down and
// started again on the same directory, and the shopper's cart and the member's login
// are still there. Without the file (the machine's default here) both would be gone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type RedisClientType } from 'redis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { PrivateRedis, redisServerInstalled } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';
import { json, makeShop, type Shop, sessionCookie } from '../helpers/shop.js';

const available = toolAvailable('redis-server', redisServerInstalled());

describe.skipIf(!available)('Redis restarted with its append-only file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-aof-'));
  let redis: PrivateRedis;
  let client: RedisClientType;
  let shop: Shop;

  beforeAll(async () => {
    redis = await PrivateRedis.start(['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir]);
    client = createClient({ url: redis.url });
    client.on('error', () => {});
    await client.connect();
    shop = await makeShop({ redis: client, db: await openDatabase(':memory:') });
  });

  afterAll(async () => {
    client?.destroy();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a guest's cart and a member's login through the restart", async () => {
    const guest = `shop.sid=${sessionCookie(await request(shop.app).get('/').expect(200))}`;
    await request(shop.app)
      .post('/cart/items')
      .set('Cookie', guest)
      .set(json)
      .send({ productId: 'p-001', quantity: 2 });
    const memberVisit = await request(shop.app).get('/').expect(200);
    let member = `shop.sid=${sessionCookie(memberVisit)}`;
    const login = await request(shop.app)
      .post('/login')
      .set('Cookie', member)
      .set(json)
      .send({ username: 'alice', password: 'alice-demo-pass' })
      .expect(200);
    member = `shop.sid=${sessionCookie(login)}`;

    await redis.shutDown();
    await redis.restart();
    // The client reconnects by itself; the first request after the restart may race it.
    for (let tries = 0; !client.isReady && tries < 100; tries++) await new Promise((r) => setTimeout(r, 50));

    const cart = await request(shop.app).get('/cart').set('Cookie', guest).set(json).expect(200);
    expect(cart.body.cart.count).toBe(2);
    await request(shop.app).get('/account').set('Cookie', member).set(json).expect(200);
  });
});
