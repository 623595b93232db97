// PostgreSQL seen from operations: /readyz reports a database that stopped
// answering, and an instance started before its database waits for it. A small TCP
// proxy in front of the test's own database plays the network: not there yet, or
// stalled (connections open, nothing gets through).
import { createClient } from 'redis';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { type ChildServer, probe, RawConnection, startServer } from '../helpers/child-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-db.js';
import { PrivateRedis, redisServerInstalled } from '../helpers/redis-server.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { makeShop } from '../helpers/shop.js';
import { createTcpProxy, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const available = await serviceAvailable('PostgreSQL', POSTGRES_URL);

describe.skipIf(!available)('with PostgreSQL', () => {
  let database: TestDatabase | undefined;
  let proxy: TcpProxy | undefined;
  let server: ChildServer | undefined;
  let redis: PrivateRedis | undefined;

  afterEach(async () => {
    await server?.stop();
    await redis?.stop();
    redis = undefined;
    await proxy?.close();
    await database?.drop();
    server = undefined;
    proxy = undefined;
    database = undefined;
  });

  it('GET /readyz answers 503 naming the database within the bound when it stops answering', async () => {
    database = await createTestDatabase('readyz');
    proxy = await startTcpProxy(database.url);
    const url = proxy.url;
    const readyMs = 300;
    const db = await openDatabase(url);
    const shop = await makeShop({ db, env: { DATABASE_URL: url, READY_TIMEOUT_MS: String(readyMs) } });
    try {
      const ok = await request(shop.app).get('/readyz').expect(200);
      expect(ok.body.checks).toEqual({ sessions: 'ok', database: 'ok' });

      proxy.stall();
      const started = Date.now();
      const res = await request(shop.app).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'unavailable', checks: { sessions: 'ok', database: 'unavailable' } });
      expect(Date.now() - started).toBeLessThan(readyMs + 1000);
    } finally {
      await proxy.close(); // so the pool's connections end instead of hanging
      await db.destroy().catch(() => {});
    }
  });

  it('starts when PostgreSQL comes up after the instance', async () => {
    database = await createTestDatabase('startup');
    proxy = await createTcpProxy(database.url);
    server = await startServer({
      waitUntilReady: false,
      env: { DATABASE_URL: proxy.url, STARTUP_RETRY_MS: '20000' },
    });
    await server.waitForOutput(/waiting for PostgreSQL.*attempt 2/i);
    await proxy.start();
    await server.ready();
    expect(await probe(server.port, '/readyz')).toBe(200);
  });

  it.skipIf(!redisServerInstalled())(
    'gives the session lock back when a request is cut off at the drain deadline',
    async () => {
      // A shopper's add-to-cart holds its session lock (in Redis) while the stock query
      // hangs on a stalled database; the drain deadline is far shorter than the lease.
      database = await createTestDatabase('drain');
      proxy = await startTcpProxy(database.url);
      redis = await PrivateRedis.start();
      server = await startServer({
        env: {
          DATABASE_URL: proxy.url,
          REDIS_URL: redis.url,
          TRUST_PROXY: '1',
          SHUTDOWN_DELAY_MS: '200',
          SHUTDOWN_DRAIN_MS: '1000',
          DATABASE_TIMEOUT_MS: '8000',
          LOCK_LEASE_MS: '60000',
        },
      });
      const viewer = createClient({ url: redis.url });
      await viewer.connect();
      try {
        // X-Forwarded-Proto from the trusted proxy: the production cookie is Secure.
        const https = 'Host: 127.0.0.1\r\nX-Forwarded-Proto: https\r\nAccept: application/json\r\n';
        const first = await RawConnection.open(server.port);
        first.send(`GET /cart HTTP/1.1\r\n${https}Connection: close\r\n\r\n`);
        const cookie = (await first.next()).headers['set-cookie']?.split(';')[0];
        expect(cookie).toMatch(/^shop\.sid=/);

        proxy.stall();
        const body = JSON.stringify({ productId: 'p-001' });
        const add = await RawConnection.open(server.port);
        add.send(
          `POST /cart/items HTTP/1.1\r\n${https}Cookie: ${cookie}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${body.length}\r\n\r\n${body}`,
        );
        while ((await viewer.keys('shop:lock:*')).length === 0) await new Promise((r) => setTimeout(r, 20));

        server.kill('SIGTERM');
        expect((await add.next()).status).toBe(503);
        // Given back within one bounded Redis call (STORE_TIMEOUT_MS, 2 s) + slack, not at the 60 s lease.
        const answered = Date.now();
        while ((await viewer.keys('shop:lock:*')).length > 0 && Date.now() - answered < 3000) {
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(await viewer.keys('shop:lock:*')).toEqual([]);
      } finally {
        viewer.destroy();
        await proxy.close();
      }
    },
  );
});
