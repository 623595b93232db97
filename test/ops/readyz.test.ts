// GET /readyz: may a load balancer send shoppers here? Each dependency must answer
// within READY_TIMEOUT_MS, and no shutdown may have begun. GET /healthz stays pure
// liveness. Neither creates a session.
import { createClient, type RedisClientType } from 'redis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOf } from '../../src/web/http/drain.js';
import { PrivateRedis, redisServerInstalled } from '../helpers/redis-server.js';
import { makeShop, type Shop } from '../helpers/shop.js';

const READY_MS = 300;
/** Beyond the configured bound: scheduling, not a limit the code must meet. */
const SLACK_MS = 1000;

describe('GET /readyz with memorystore and SQLite', () => {
  it('answers 200 with every check ok, and creates no session', async () => {
    const shop = await makeShop();
    const res = await request(shop.app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { sessions: 'ok', database: 'ok' } });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 "draining" once shutdown has begun, while /healthz stays 200', async () => {
    const shop = await makeShop();
    drainOf(shop.app).begin();
    const res = await request(shop.app).get('/readyz').expect(503);
    expect(res.body.status).toBe('draining');
    expect(res.headers.connection).toBe('close');
    await request(shop.app).get('/healthz').expect(200);
  });
});

describe('GET /healthz', () => {
  it('creates no session', async () => {
    const shop = await makeShop();
    const res = await request(shop.app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe.skipIf(!redisServerInstalled())('GET /readyz with Redis', () => {
  let redis: PrivateRedis;
  let client: RedisClientType;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    // As server.ts makes it: commands fail at once while disconnected instead of queueing.
    client = createClient({
      url: redis.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 500) },
    });
    client.on('error', () => {}); // outages are the point of these tests
    await client.connect();
  });

  afterAll(async () => {
    client.destroy();
    await redis.stop();
  });

  const shopOnRedis = () => makeShop({ redis: client, env: { READY_TIMEOUT_MS: String(READY_MS) } });

  async function timedReadyz(shop: Shop) {
    const started = Date.now();
    const res = await request(shop.app).get('/readyz');
    return { res, ms: Date.now() - started };
  }

  it('answers 200 while Redis answers PING', async () => {
    const { res } = await timedReadyz(await shopOnRedis());
    expect(res.status).toBe(200);
    expect(res.body.checks.sessions).toBe('ok');
  });

  it('answers 503 naming the sessions check within the bound when Redis hangs', async () => {
    const shop = await shopOnRedis();
    redis.pause();
    try {
      const { res, ms } = await timedReadyz(shop);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'unavailable', checks: { sessions: 'unavailable', database: 'ok' } });
      expect(ms).toBeLessThan(READY_MS + SLACK_MS);
    } finally {
      redis.resume();
    }
    expect((await timedReadyz(shop)).res.status).toBe(200);
  });

  it('answers 503 at once when Redis is down', async () => {
    const shop = await shopOnRedis();
    expect((await timedReadyz(shop)).res.status).toBe(200);
    await redis.kill();
    const { res, ms } = await timedReadyz(shop);
    expect(res.status).toBe(503);
    expect(res.body.checks.sessions).toBe('unavailable');
    expect(ms).toBeLessThan(READY_MS + SLACK_MS);
  });
});
