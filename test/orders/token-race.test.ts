// The race OrderRepository.place() catches a unique violation for: two transactions
// with one checkout token, both finding no order yet. Only PostgreSQL runs them at
// once (SQLite takes one writer at a time). Here the race is staged, not hoped for:
// one connection inserts the token's order and holds it uncommitted while place()
// runs into the unique index; then it commits, and place() must return that order.
// The reads are checked here too, where COUNT answers a bigint and ids sort by collation.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { loadProducts } from '../../src/catalog/products.js';
import { StockRepository } from '../../src/catalog/stock.js';
import { type Db, openDatabase } from '../../src/db/connect.js';
import { OrderRepository } from '../../src/orders/orders.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-db.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { contact } from '../helpers/shop.js';

const available = await serviceAvailable('PostgreSQL', POSTGRES_URL, 'checkout token race');

describe.skipIf(!available)('OrderRepository on PostgreSQL', () => {
  let testDb: TestDatabase;
  let db: Db;
  let other: pg.Client;

  beforeAll(async () => {
    testDb = await createTestDatabase('token_race');
    db = await openDatabase(testDb.url);
    await new StockRepository(db).seed(new Catalog(loadProducts('data/products.json')));
    other = new pg.Client({ connectionString: testDb.url });
    await other.connect();
  });

  afterAll(async () => {
    await other?.end();
    await db?.destroy();
    await testDb?.drop();
  });

  /** True once some backend of this database waits for a lock another transaction holds. */
  async function someoneWaits(): Promise<boolean> {
    const { rows } = await other.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
      [testDb.name],
    );
    return (rows[0]?.n ?? 0) > 0;
  }

  it('returns the order the other transaction committed, and takes no stock for itself', async () => {
    const before = (await new StockRepository(db).levels()).get('p-003');
    await other.query('BEGIN');
    await other.query(
      `INSERT INTO orders (id, user_id, checkout_token, name, email, address, city, postal_code, country,
         subtotal_cents, shipping_cents, total_cents, created_at)
       VALUES ('WIN0-WIN0-WIN0', NULL, 'shared-token', $1, $2, $3, $4, $5, $6, 3990, 495, 4485, $7)`,
      [
        contact.name,
        contact.email,
        contact.address,
        contact.city,
        contact.postalCode,
        contact.country,
        new Date().toISOString(),
      ],
    );
    const lines = [{ productId: 'p-003', name: 'Three', unitPriceCents: 3990, quantity: 1 }];
    const placing = new OrderRepository(db).place({ checkoutToken: 'shared-token', userId: null, contact, lines });
    // place() has found no order (the other one is uncommitted) and now waits on the unique index.
    while (!(await someoneWaits())) await new Promise((resolve) => setTimeout(resolve, 10));
    await other.query('COMMIT');

    const result = await placing;
    expect(result.created).toBe(false);
    expect(result.order.id).toBe('WIN0-WIN0-WIN0');
    expect((await new StockRepository(db).levels()).get('p-003')).toBe(before);
    const rows = await db.selectFrom('orders').select('id').where('checkout_token', '=', 'shared-token').execute();
    expect(rows).toHaveLength(1);
  });

  it("counts a member's orders as a number (PostgreSQL's COUNT is a bigint) and lists them newest first", async () => {
    await db
      .insertInto('users')
      .values({
        id: 'u-pg',
        username: 'u-pg',
        password_hash: 'unused',
        prefs: '{}',
        created_at: new Date().toISOString(),
      })
      .execute();
    const orders = new OrderRepository(db, () => new Date(Date.UTC(2026, 0, 1)));
    const lines = [{ productId: 'p-002', name: 'Two', unitPriceCents: 1290, quantity: 1 }];
    const ids: string[] = [];
    for (const token of ['pg-1', 'pg-2', 'pg-3']) {
      ids.push((await orders.place({ checkoutToken: token, userId: 'u-pg', contact, lines })).order.id);
    }
    expect(await orders.countForUser('u-pg')).toBe(3);
    // A member with no orders: no lines are asked for (PostgreSQL refuses an empty IN list).
    expect(await orders.pageForUser('nobody', 1, 20)).toEqual({ orders: [], total: 0, page: 1, pageCount: 1 });
    expect((await orders.pageForUser('u-pg', 1, 20)).orders.map((o) => o.id)).toEqual([...ids].sort().reverse());
  });
});
