// Reading orders back: the history's order (ties included), the count and the last
// contact, each in a fixed number of queries however many orders there are; and
// placing an order lets only the error it exists for turn into "already placed".
import type { KyselyPlugin } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import type { Product } from '../../src/catalog/products.js';
import { StockRepository } from '../../src/catalog/stock.js';
import { type Db, openDatabase } from '../../src/db/connect.js';
import { OrderRepository, type PlaceOrder } from '../../src/orders/orders.js';
import { contact } from '../helpers/shop.js';

const product: Product = {
  id: 'a',
  slug: 'product-a',
  name: 'Product a',
  description: 'A product for the order tests.',
  priceCents: 1000,
  category: 'test',
  stock: 100,
  image: '/images/test.svg',
};

/** Counts the statements run through the database it is plugged into. */
function queryCounter() {
  const counter = { queries: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      counter.queries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { counter, plugin };
}

const NOON = new Date(Date.UTC(2026, 0, 1, 12));
let db: Db;

beforeEach(async () => {
  db = await openDatabase(':memory:');
  await new StockRepository(db).seed(new Catalog([product]));
  await db
    .insertInto('users')
    .values({ id: 'u-1', username: 'u-1', password_hash: 'unused', prefs: '{}', created_at: NOON.toISOString() })
    .execute();
});

const order = (checkoutToken: string, userId: string | null = 'u-1', quantity = 1): PlaceOrder => ({
  checkoutToken,
  userId,
  contact: { ...contact, city: `City ${checkoutToken}` },
  lines: [{ productId: 'a', name: 'Product a', unitPriceCents: 1000, quantity }],
});

const idsOn = async (orders: OrderRepository, page: number, pageSize = 10) =>
  (await orders.pageForUser('u-1', page, pageSize)).orders.map((o) => o.id);

describe('OrderRepository.pageForUser', () => {
  it('orders those placed in the same instant by id, newest id first, on every read', async () => {
    const orders = new OrderRepository(db, () => NOON);
    const ids: string[] = [];
    for (const token of ['t-1', 't-2', 't-3', 't-4']) ids.push((await orders.place(order(token))).order.id);
    const expected = [...ids].sort().reverse();
    expect(await idsOn(orders, 1)).toEqual(expected);
    expect(await idsOn(orders, 1)).toEqual(expected);
  });

  it('reads a page of orders with their lines, and the count, in three queries', async () => {
    const orders = new OrderRepository(db);
    for (const token of ['t-1', 't-2', 't-3', 't-4', 't-5']) await orders.place(order(token, 'u-1', 2));
    const { counter, plugin } = queryCounter();
    const page = await new OrderRepository(db.withPlugin(plugin)).pageForUser('u-1', 1, 10);
    expect(page.orders).toHaveLength(5);
    expect(page.orders.every((o) => o.lines.length === 1 && o.lines[0]?.quantity === 2)).toBe(true);
    expect(counter.queries).toBe(3);
  });

  it('reads an order of several lines with every line, in the order it was placed', async () => {
    const orders = new OrderRepository(db, () => NOON);
    const lines = [3, 1, 2].map((quantity) => ({
      productId: 'a',
      name: `Line ${quantity}`,
      unitPriceCents: 100,
      quantity,
    }));
    await orders.place({ ...order('t-1'), lines });
    await orders.place(order('t-2'));
    const read = (await orders.pageForUser('u-1', 1, 10)).orders;
    const several = read.find((o) => o.lines.length > 1);
    expect(several?.lines.map((l) => l.name)).toEqual(['Line 3', 'Line 1', 'Line 2']);
    expect(read.map((o) => o.lines.length).sort()).toEqual([1, 3]);
  });

  it('splits a long history into pages that together hold every order once, and shows the last for a page past it', async () => {
    let minute = 0;
    const orders = new OrderRepository(db, () => new Date(NOON.getTime() + 60_000 * minute++));
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push((await orders.place(order(`t-${i}`))).order.id);
    const pages = [await idsOn(orders, 1), await idsOn(orders, 2), await idsOn(orders, 3)];
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(pages.flat()).toEqual([...ids].reverse());
    const past = await orders.pageForUser('u-1', 9, 10);
    expect([past.page, past.pageCount, past.total]).toEqual([3, 3, 23]);
    expect(past.orders.map((o) => o.id)).toEqual(pages[2]);
  });
});

describe('OrderRepository.countForUser and lastContactForUser', () => {
  it("counts the member's orders in one query, and finds where the newest went in one more", async () => {
    let minute = 0;
    const orders = new OrderRepository(db, () => new Date(NOON.getTime() + 60_000 * minute++));
    for (const token of ['t-1', 't-2', 't-3']) await orders.place(order(token));
    await orders.place(order('t-guest', null));
    const { counter, plugin } = queryCounter();
    const counted = new OrderRepository(db.withPlugin(plugin));
    expect(await counted.countForUser('u-1')).toBe(3);
    expect(await counted.lastContactForUser('u-1')).toEqual({ ...contact, city: 'City t-3' });
    expect(counter.queries).toBe(2);
    expect(await counted.countForUser('nobody')).toBe(0);
    expect(await counted.lastContactForUser('nobody')).toBeUndefined();
  });
});

describe('OrderRepository.place: errors', () => {
  const rowCount = async () => (await db.selectFrom('orders').select('id').execute()).length;
  const stockOfA = async () =>
    (await db.selectFrom('stock').select('quantity').where('product_id', '=', 'a').executeTakeFirst())?.quantity;

  it('passes on an error that is not a unique violation, writing nothing', async () => {
    await db.schema.dropTable('order_lines').execute();
    const orders = new OrderRepository(db);
    await expect(orders.place(order('t-1'))).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
    expect(await rowCount()).toBe(0);
    expect(await stockOfA()).toBe(100);
  });

  it('passes on a unique violation that no order with the token explains', async () => {
    // Only one line per product in all orders: the second order breaks this index, not the token's.
    await db.schema.createIndex('one_line_per_product').unique().on('order_lines').column('product_id').execute();
    const orders = new OrderRepository(db);
    await orders.place(order('t-1'));
    await expect(orders.place(order('t-2'))).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(await rowCount()).toBe(1);
    expect(await stockOfA()).toBe(99);
  });
});
