// PostgreSQL going away under a running shop: terminated backends (as a restart
// does), a stopped server, a server that never answers, a statement stuck on a
// lock. The process must live, answer 503 (never 500) in bounded time, write
// nothing half-way, keep the cart, and recover by itself.
import pg from 'pg';
import type request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemoAccounts } from '../../src/accounts/demo.js';
import { type Db, openDatabase } from '../../src/db/connect.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-db.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { contact, json, makeShop, type Shop, visitor } from '../helpers/shop.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const available = await serviceAvailable('PostgreSQL', POSTGRES_URL);

const TIMEOUT_MS = 1000;
/** Room for the event loop and the test's own round trips on a busy machine. */
const SLACK_MS = 3000;
const UNAVAILABLE = /database is unavailable/i;

describe.skipIf(!available)('with PostgreSQL going away', () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let monitor: pg.Client;
  const opened: Db[] = [];
  const poolErrors: unknown[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase('faults');
    proxy = await startTcpProxy(testDb.url);
    monitor = new pg.Client({ connectionString: POSTGRES_URL });
    await monitor.connect();
  });

  afterEach(async () => {
    await proxy.start();
  });

  afterAll(async () => {
    await Promise.all(opened.map((db) => db.destroy()));
    await monitor?.end();
    await proxy?.close();
    await testDb?.drop();
  });

  async function shopOn(url: string, timeoutMs = TIMEOUT_MS): Promise<Shop> {
    const db = await openDatabase(url, { timeoutMs, poolMax: 4, onError: (err) => poolErrors.push(err) });
    opened.push(db);
    return makeShop({ db, demoAccounts: false });
  }

  async function shopperWithCart(shop: Shop) {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    return agent;
  }

  /** Places the order in the cart, as the checkout form's JSON twin does. */
  function checkout(agent: request.Agent, token: string) {
    return agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken: token });
  }

  async function checkoutToken(agent: request.Agent): Promise<string> {
    return (await agent.get('/checkout').set(json).expect(200)).body.checkoutToken;
  }

  async function stockOf(shop: Shop, productId: string) {
    return (await shop.services.stock.levels()).get(productId);
  }

  async function orderCount(shop: Shop) {
    return (await shop.db.selectFrom('orders').select('id').execute()).length;
  }

  /** Asks until the shop answers 200; every answer on the way must be a 503 that says why. */
  async function untilRecovered(ask: () => Promise<request.Response>, attempts = 5) {
    for (let i = 0; i < attempts; i++) {
      const res = await ask();
      if (res.status === 200) return i;
      expectUnavailable(res);
    }
    throw new Error(`still not answering 200 after ${attempts} requests`);
  }

  function expectUnavailable(res: request.Response) {
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body.error).toMatch(UNAVAILABLE);
    expect(res.headers['retry-after']).toBeDefined();
  }

  /** Waits until a backend of the test database is blocked on a row lock. */
  async function untilWaitingOnLock() {
    await vi.waitFor(
      async () => {
        const { rows } = await monitor.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
          [testDb.name],
        );
        expect(rows[0]?.n).toBeGreaterThan(0);
      },
      { timeout: 5000, interval: 20 },
    );
  }

  /** A second session that holds a product's stock row locked, as a slow checkout would. */
  async function lockStockRow(productId: string) {
    const blocker = new pg.Client({ connectionString: testDb.url });
    blocker.on('error', () => {}); // terminated on purpose below
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT * FROM stock WHERE product_id = $1 FOR UPDATE', [productId]);
    return blocker;
  }

  it('survives the idle pool connections being terminated and answers the next requests', async () => {
    const shop = await shopOn(testDb.url);
    const agent = await shopperWithCart(shop);
    poolErrors.length = 0;

    expect(await testDb.terminateBackends()).toBeGreaterThan(0);
    // The pool hears of it on its idle connections; before the fix this was an unhandled 'error'.
    await vi.waitFor(() => expect(poolErrors.length).toBeGreaterThan(0), { timeout: 5000 });

    await untilRecovered(() => agent.get('/').set(json));
    expect((await agent.get('/cart').set(json).expect(200)).body.cart.count).toBe(2);
  });

  it('answers 200 or 503, never 500, to shoppers busy while connections keep being terminated', async () => {
    const shop = await shopOn(testDb.url);
    const shoppers = await Promise.all(Array.from({ length: 8 }, () => shopperWithCart(shop)));
    const stockBefore = await stockOf(shop, 'p-001');
    const ordersBefore = await orderCount(shop);
    const tokens = await Promise.all(shoppers.map(checkoutToken));

    const asks = shoppers.flatMap((agent, i) => [
      agent.get('/').set(json),
      agent.post('/cart/items').set(json).send({ productId: 'p-003', quantity: 1 }),
      agent
        .post('/checkout')
        .set(json)
        .send({ ...contact, checkoutToken: tokens[i] }),
    ]);
    // Terminate every backend, again and again, until every request has been answered.
    let settled = false;
    const answered = Promise.all(asks.map((ask) => Promise.resolve(ask))).finally(() => (settled = true));
    while (!settled) {
      await testDb.terminateBackends();
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const answers = await answered;

    for (const res of answers) {
      if (res.status === 503) expectUnavailable(res);
      else expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    }
    // Whatever was cut off rolled back whole: stock went down by exactly what was ordered.
    const placed = (await orderCount(shop)) - ordersBefore;
    expect(await stockOf(shop, 'p-001')).toBe((stockBefore ?? 0) - 2 * placed);
    for (const agent of shoppers) await untilRecovered(() => agent.get('/').set(json));
  });

  it('answers 503 to a checkout whose connection is terminated, writes nothing, and takes the retry', async () => {
    const shop = await shopOn(testDb.url, 10_000);
    const agent = await shopperWithCart(shop);
    const token = await checkoutToken(agent);
    const stockBefore = await stockOf(shop, 'p-001');
    const ordersBefore = await orderCount(shop);

    const blocker = await lockStockRow('p-001');
    const pending = Promise.resolve(checkout(agent, token));
    await untilWaitingOnLock();
    await testDb.terminateBackends(); // kills the checkout mid-transaction, and the blocker
    const answer = await pending;
    await blocker.end().catch(() => {});

    expectUnavailable(answer);
    expect(await stockOf(shop, 'p-001')).toBe(stockBefore);
    expect(await orderCount(shop)).toBe(ordersBefore);
    expect((await agent.get('/cart').set(json).expect(200)).body.cart.count).toBe(2);

    const retry = await checkout(agent, token);
    expect(retry.status).toBe(201);
    expect(await stockOf(shop, 'p-001')).toBe((stockBefore ?? 0) - 2);
  });

  it('places the order when the stock row it waits on is freed while it retries', async () => {
    const shop = await shopOn(testDb.url);
    const agent = await shopperWithCart(shop);
    const token = await checkoutToken(agent);
    const blocker = await lockStockRow('p-001');
    const pending = Promise.resolve(checkout(agent, token));
    await untilWaitingOnLock();
    await blocker.query('ROLLBACK');
    await blocker.end();
    expect((await pending).status).toBe(201);
  });

  it('answers 503 "busy", never "unavailable", within the timeout when a stock row stays locked', async () => {
    const shop = await shopOn(testDb.url);
    const agent = await shopperWithCart(shop);
    const token = await checkoutToken(agent);
    const stockBefore = await stockOf(shop, 'p-001');

    const blocker = await lockStockRow('p-001');
    try {
      const started = Date.now();
      const answer = await checkout(agent, token);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expect(answer.status, JSON.stringify(answer.body)).toBe(503);
      expect(answer.body.error).toBe('The database is busy. Please try again.');
      expect(answer.headers['retry-after']).toBeDefined();
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    expect(await stockOf(shop, 'p-001')).toBe(stockBefore);
    expect((await checkout(agent, token)).status).toBe(201);
  });

  it('refuses a login whose saved cart stays locked, leaving a guest with the cart, and the retry merges it', async () => {
    const shop = await shopOn(testDb.url);
    await seedDemoAccounts(shop.services.users);
    const agent = await shopperWithCart(shop);
    const login = () => agent.post('/login').set(json).send({ username: 'ravi', password: 'ravi-demo-pass' });
    const blocker = new pg.Client({ connectionString: testDb.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE saved_carts IN ACCESS EXCLUSIVE MODE');
    try {
      const refused = await login();
      expect(refused.status, JSON.stringify(refused.body)).toBe(503);
      expect(refused.headers['retry-after']).toBeDefined();
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    await agent.get('/account').set(json).expect(401); // still a guest…
    expect((await agent.get('/cart').set(json).expect(200)).body.cart.lines).toMatchObject([
      { productId: 'p-001', quantity: 2 },
    ]); // …with the cart
    const merged = await login().expect(200);
    expect(merged.body.merge.added).toEqual([{ productId: 'p-001', quantity: 2 }]);
  });

  it('answers a login 503, never 500, while the database refuses connections (ALLOW_CONNECTIONS false)', async () => {
    const shop = await shopOn(testDb.url);
    await seedDemoAccounts(shop.services.users);
    const agent = await shopperWithCart(shop);
    const login = () => agent.post('/login').set(json).send({ username: 'alice', password: 'alice-demo-pass' });
    await monitor.query(`ALTER DATABASE ${testDb.name} ALLOW_CONNECTIONS false`);
    try {
      await testDb.terminateBackends();
      expectUnavailable(await login());
    } finally {
      await monitor.query(`ALTER DATABASE ${testDb.name} ALLOW_CONNECTIONS true`);
    }
    await untilRecovered(() =>
      agent
        .get('/account')
        .set(json)
        .expect(401)
        .then(() => login()),
    );
    expect((await agent.get('/account').set(json).expect(200)).body.cart.lines).toMatchObject([
      { productId: 'p-001', quantity: 2 },
    ]);
  });

  it('answers 503 while the server is down, keeps the cart, and recovers when it is back', async () => {
    const shop = await shopOn(proxy.url);
    const agent = await shopperWithCart(shop);
    const lines = (cart: { lines: { productId: string; quantity: number }[] }) =>
      cart.lines.map((l) => [l.productId, l.quantity]);

    await proxy.stop();
    // Requests that read the database (the catalog shows a copy of the stock up to
    // DISPLAY_MAX_AGE_MS old, so it is not one of them: cart changes read it fresh).
    for (const ask of [
      () => agent.post('/cart/items/p-001').set(json).send({ quantity: 3 }),
      () => agent.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 1 }),
    ]) {
      const started = Date.now();
      const res = await ask();
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expectUnavailable(res);
    }
    // The cart lives in the session: still there, and the refused add changed nothing.
    expect(lines((await agent.get('/cart').set(json).expect(200)).body.cart)).toEqual([['p-001', 2]]);

    await proxy.start();
    await agent.get('/').set(json).expect(200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 1 }).expect(200);
    expect(lines((await agent.get('/cart').set(json).expect(200)).body.cart)).toEqual([
      ['p-001', 2],
      ['p-002', 1],
    ]);
  });

  it('answers 503 within the timeout when the server accepts connections but never answers', async () => {
    const shop = await shopOn(proxy.url);
    const agent = await shopperWithCart(shop);

    await proxy.stop();
    await proxy.start('blackhole');
    const started = Date.now();
    const res = await agent.post('/cart/items/p-001').set(json).send({ quantity: 3 });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expectUnavailable(res);

    await proxy.stop();
    await proxy.start();
    await untilRecovered(() => agent.get('/').set(json));
  });
});
