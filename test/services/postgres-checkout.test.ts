// Concurrent checkouts on PostgreSQL, where transactions really overlap: carts
// holding the same products in opposite order must not deadlock, and one token
// raced from two transactions must still place one order, and orders racing for the
// last units never sell more than there is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderRepository, OutOfStockError } from '../../src/orders/orders.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-db.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { contact, json, makeShop, type Shop, visitor } from '../helpers/shop.js';

const available = await serviceAvailable('PostgreSQL', POSTGRES_URL);

describe.skipIf(!available)('checkout with PostgreSQL under concurrency', () => {
  let testDb: TestDatabase;
  let shop: Shop;

  beforeAll(async () => {
    testDb = await createTestDatabase('checkout');
    shop = await makeShop({ databaseUrl: testDb.url, demoAccounts: false });
  });

  afterAll(async () => {
    await shop?.db.destroy();
    await testDb?.drop();
  });

  const levels = async () => shop.services.stock.levels();

  it('places 30 orders whose carts hold the same products in opposite order, none failing', async () => {
    const [a, b] = ['p-001', 'p-002'];
    await shop.services.stock.set('p-001', 1000);
    await shop.services.stock.set('p-002', 1000);
    const shoppers = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const { agent } = await visitor(shop);
        const order = i % 2 === 0 ? [a, b] : [b, a];
        for (const productId of order) {
          await agent
            .post('/cart/items')
            .set(json)
            .send({ productId, quantity: 1 + (i % 3) })
            .expect(200);
        }
        const page = await agent.get('/checkout').set(json).expect(200);
        return { agent, token: String(page.body.checkoutToken), quantity: 1 + (i % 3) };
      }),
    );

    const answers = await Promise.all(
      shoppers.map(({ agent, token }) =>
        agent
          .post('/checkout')
          .set(json)
          .send({ ...contact, checkoutToken: token }),
      ),
    );

    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const sold = shoppers.reduce((sum, s) => sum + s.quantity, 0);
    const after = await levels();
    expect(after.get('p-001')).toBe(1000 - sold);
    expect(after.get('p-002')).toBe(1000 - sold);
  });

  it('places one order when two transactions race with one token', async () => {
    await shop.services.stock.set('p-003', 50);
    const orders = new OrderRepository(shop.db);
    const lines = [{ productId: 'p-003', name: 'Three', unitPriceCents: 500, quantity: 2 }];
    const results = await Promise.all(
      Array.from({ length: 4 }, () => orders.place({ checkoutToken: 'raced-token', userId: null, contact, lines })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.order.id)).size).toBe(1);
    expect((await levels()).get('p-003')).toBe(48);
  });

  it('never oversells when ten transactions race for the last three units', async () => {
    await shop.services.stock.set('p-004', 3);
    const orders = new OrderRepository(shop.db);
    const lines = [{ productId: 'p-004', name: 'Four', unitPriceCents: 500, quantity: 1 }];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => orders.place({ checkoutToken: `last-${i}`, userId: null, contact, lines })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(OutOfStockError);
    expect((await levels()).get('p-004')).toBe(0);
  });
});
