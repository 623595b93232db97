// The same store on PostgreSQL: migrations, saved carts and stock-safe checkout,
// against a real server, in a database made for this run and dropped after it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/connect.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { json, makeShop, type Shop, visitor } from '../helpers/shop.js';

const available = await serviceAvailable('PostgreSQL', POSTGRES_URL);

describe.skipIf(!available)('with PostgreSQL', () => {
  const name = `shop_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  let db: Db;
  let shop: Shop;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    db = await openDatabase(url.toString());
    shop = await makeShop({ db });
  });

  afterAll(async () => {
    await db?.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  });

  async function checkout(agent: Awaited<ReturnType<typeof visitor>>['agent']) {
    const page = await agent.get('/checkout').set(json).expect(200);
    return agent.post('/checkout').set(json).send({
      name: 'Ada Shopper',
      email: 'ada@example.com',
      address: '1 Main St',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
      checkoutToken: page.body.checkoutToken,
    });
  }

  it('runs the migrations and seeds stock from the catalog', async () => {
    const levels = await shop.services.stock.levels();
    expect(levels.get('p-001')).toBe(40);
    expect(levels.size).toBe(shop.catalog.products.length);
  });

  it('merges a guest cart into the saved cart at login and keeps it after logout', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 2 }).expect(200);
    const login = await agent
      .post('/login')
      .set(json)
      .send({ username: 'alice', password: 'alice-demo-pass' })
      .expect(200);
    expect(login.body.merge.added).toEqual([{ productId: 'p-002', quantity: 2 }]);
    await agent.post('/logout').set(json).send({}).expect(200);
    const again = await agent
      .post('/login')
      .set(json)
      .send({ username: 'alice', password: 'alice-demo-pass' })
      .expect(200);
    expect(again.body.cart.count).toBe(2);
  });

  it('sells the last 5 units to exactly 5 of 20 concurrent shoppers', async () => {
    await shop.services.stock.set('p-003', 5);
    const shoppers = await Promise.all(Array.from({ length: 20 }, () => visitor(shop)));
    for (const { agent } of shoppers) {
      await agent.post('/cart/items').set(json).send({ productId: 'p-003', quantity: 1 }).expect(200);
    }
    const answers = await Promise.all(shoppers.map(({ agent }) => checkout(agent)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    expect((await shop.services.stock.levels()).get('p-003')).toBe(0);
  });

  it('places one order for one checkout token sent twice at once', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 1 }).expect(200);
    const before = (await shop.services.stock.levels()).get('p-001') ?? 0;
    const page = await agent.get('/checkout').set(json).expect(200);
    const body = {
      name: 'Bo',
      email: 'bo@example.com',
      address: '2 Side St',
      city: 'Shelbyville',
      postalCode: '54321',
      country: 'US',
      checkoutToken: page.body.checkoutToken,
    };
    const [first, second] = await Promise.all([
      agent.post('/checkout').set(json).send(body),
      agent.post('/checkout').set(json).send(body),
    ]);
    expect(first?.body.order.id).toBeDefined();
    expect(second?.body.order.id).toBe(first?.body.order.id);
    expect((await shop.services.stock.levels()).get('p-001')).toBe(before - 1);
  });
});
