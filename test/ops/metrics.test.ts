// GET /metrics (src/metrics.ts): the series an operator graphs, fed by real requests
// through the real app, read the way Prometheus reads them; served on METRICS_PORT
// only, never on the shop's own port.
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { UnavailableError } from '../../src/unavailable.js';
import { type ChildServer, startServer } from '../helpers/child-server.js';
import { createTestDatabase } from '../helpers/postgres-db.js';
import { freePort } from '../helpers/redis-server.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { json, makeShop, type Shop } from '../helpers/shop.js';

const scrape = async (shop: Shop) => (await request(shop.services.metrics.answer).get('/metrics').expect(200)).text;

/** The value of one sample line, e.g. `shop_sessions_created_total` or `x_count{route="/cart"}`. */
function sample(text: string, series: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const [name, value] = line.split(/ (?=[^ ]+$)/);
    if (name === undefined || value === undefined) continue;
    const base = name.replace(/\{.*$/, '');
    if (base === series && wanted.every((pair) => name.includes(pair))) return Number(value);
  }
  return undefined;
}

describe('the metrics of the shop’s own requests', () => {
  it('time each request by route pattern, method and status class', async () => {
    const shop = await makeShop();
    const agent = request.agent(shop.app);
    await agent.get('/products/ethiopia-yirgacheffe-beans-250-g').expect(200);
    await agent.get('/products/colombia-huila-beans-250-g').expect(200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    await agent.get('/no-such-page').expect(404);

    const text = await scrape(shop);
    const count = (labels: Record<string, string>) => sample(text, 'shop_http_request_duration_seconds_count', labels);
    // The pattern, not the path: one series for every product.
    expect(count({ route: '/products/:slug', method: 'GET', status_class: '2xx' })).toBe(2);
    expect(count({ route: '/cart/items', method: 'POST', status_class: '2xx' })).toBe(1);
    expect(count({ route: 'not found', method: 'GET', status_class: '4xx' })).toBe(1);
    expect(text).not.toContain('ethiopia');
  });

  it('count the sessions started and the session store’s calls, and time the lock waits', async () => {
    const shop = await makeShop();
    const agent = request.agent(shop.app);
    await agent.get('/').expect(200); // a new visitor: one session
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    await agent.post('/login').set(json).send({ username: 'ravi', password: 'ravi-demo-pass' }).expect(200);
    await request(shop.app).get('/').expect(200); // another visitor

    const text = await scrape(shop);
    // Two visitors, and the login's new session ID.
    expect(sample(text, 'shop_sessions_created_total')).toBe(3);
    expect(sample(text, 'shop_session_store_seconds_count', { operation: 'get' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'shop_session_store_seconds_count', { operation: 'set' })).toBeGreaterThanOrEqual(3);
    // Every request that came with a session took its lock: the add and the login.
    expect(sample(text, 'shop_session_lock_wait_seconds_count')).toBe(2);
  });

  it('count the page cache’s hits and misses', async () => {
    const shop = await makeShop();
    await request(shop.app).get('/?q=coffee').expect(200);
    await request(shop.app).get('/?q=coffee').expect(200);
    await request(shop.app).get('/?q=tea').expect(200);

    const text = await scrape(shop);
    expect(sample(text, 'shop_page_cache_lookups_total', { result: 'miss' })).toBe(2);
    expect(sample(text, 'shop_page_cache_lookups_total', { result: 'hit' })).toBe(1);
  });

  it('count the requests a dependency made fail, by dependency and reason', async () => {
    const shop = await makeShop();
    const agent = request.agent(shop.app);
    await agent.get('/').expect(200);
    const { stock } = shop.services;
    const levelsOf = stock.levelsOf.bind(stock);
    stock.levelsOf = async () => {
      throw new UnavailableError('database', 'busy');
    };
    await agent.get('/').set(json).expect(503);
    stock.levelsOf = levelsOf;
    const store = shop.services.sessionStore;
    const set = store.set.bind(store);
    store.set = (_sid, _data, callback) => callback?.(new UnavailableError('sessions', 'full'));
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(503);
    store.set = set;

    const text = await scrape(shop);
    expect(sample(text, 'shop_unavailable_total', { dependency: 'database', reason: 'busy' })).toBe(1);
    expect(sample(text, 'shop_unavailable_total', { dependency: 'sessions', reason: 'full' })).toBe(1);
  });

  it('are not served on the shop’s own port', async () => {
    const shop = await makeShop();
    await request(shop.app).get('/metrics').expect(404);
  });
});

describe.skipIf(!(await serviceAvailable('PostgreSQL', POSTGRES_URL)))('the PostgreSQL pool’s metrics', () => {
  it('say how many connections are in use, idle, and waited for', async () => {
    const database = await createTestDatabase('metrics');
    const db = await openDatabase(database.url);
    try {
      const shop = await makeShop({ db });
      await request(shop.app).get('/').expect(200);

      const text = await scrape(shop);
      expect(sample(text, 'shop_db_pool_connections', { state: 'in_use' })).toBe(0);
      expect(sample(text, 'shop_db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'shop_db_pool_connections', { state: 'waiting' })).toBe(0);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});

describe('METRICS_PORT', () => {
  let server: ChildServer | undefined;
  afterEach(async () => {
    await server?.stop();
  });

  it('serves /metrics with the process’s own series on its own port, and only there', async () => {
    const metricsPort = await freePort();
    server = await startServer({ env: { METRICS_PORT: String(metricsPort) } });
    await request(server.url).get('/').expect(200);

    const res = await request(`http://127.0.0.1:${metricsPort}`).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(res.text, 'shop_http_request_duration_seconds_count', { route: '/', method: 'GET' })).toBe(1);
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
    expect(res.text).toContain('process_cpu_seconds_total');
    await request(`http://127.0.0.1:${metricsPort}`).get('/').expect(404);
    await request(server.url).get('/metrics').expect(404);
  });
});
