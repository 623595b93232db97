import type { KyselyPlugin } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import type { Product } from '../../src/catalog/products.js';
import { StockRepository } from '../../src/catalog/stock.js';
import { type Db, openDatabase } from '../../src/db/connect.js';
import { type Order, OrderRepository, OutOfStockError, type PlaceOrder } from '../../src/orders/orders.js';
import { contact } from '../helpers/shop.js';

const product = (id: string, priceCents: number, stock: number): Product => ({
  id,
  slug: `product-${id}`,
  name: `Product ${id}`,
  description: 'A product for the order tests.',
  priceCents,
  category: 'test',
  stock,
  image: '/images/test.svg',
});

const catalog = new Catalog([product('a', 1450, 10), product('b', 2190, 3), product('c', 990, 0)]);

let db: Db;
let stock: StockRepository;
let orders: OrderRepository;

beforeEach(async () => {
  db = await openDatabase(':memory:');
  stock = new StockRepository(db);
  await stock.seed(catalog);
  orders = new OrderRepository(db);
});

function line(productId: string, quantity: number) {
  const found = catalog.findById(productId);
  return { productId, name: found?.name ?? productId, unitPriceCents: found?.priceCents ?? 100, quantity };
}

function order(checkoutToken: string, lines: PlaceOrder['lines'], userId: string | null = null): PlaceOrder {
  return { checkoutToken, userId, contact, lines };
}

async function levels() {
  return Object.fromEntries(await stock.levels());
}

async function rowCounts() {
  const placed = await db.selectFrom('orders').select('id').execute();
  const lines = await db.selectFrom('order_lines').select('order_id').execute();
  return { orders: placed.length, lines: lines.length };
}

async function addUser(id: string) {
  await db
    .insertInto('users')
    .values({ id, username: id, password_hash: 'unused', prefs: '{}', created_at: new Date().toISOString() })
    .execute();
}

/**
 * The database, with every stock decrement it is asked for noted (by product id, in the
 * order they were sent): the order in which a transaction locks the stock rows.
 */
function noteDecrements(db: Db): { db: Db; decremented: unknown[] } {
  const decremented: unknown[] = [];
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      const { sql, parameters } = db.getExecutor().compileQuery(node, queryId);
      if (/^update "stock"/.test(sql)) decremented.push(parameters[1]);
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { db: db.withPlugin(plugin), decremented };
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (err: unknown) => err,
  );
}

describe('OrderRepository.place', () => {
  it('writes the order with line totals, shipping and total, and takes the stock', async () => {
    const { order: placed, created } = await orders.place(order('t-1', [line('a', 2), line('b', 1)]));
    expect(created).toBe(true);
    expect(placed).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      userId: null,
      contact,
      lines: [
        { productId: 'a', name: 'Product a', unitPriceCents: 1450, quantity: 2, lineTotalCents: 2900 },
        { productId: 'b', name: 'Product b', unitPriceCents: 2190, quantity: 1, lineTotalCents: 2190 },
      ],
      subtotalCents: 5090,
      shippingCents: 0,
      totalCents: 5090,
      createdAt: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(placed.createdAt))).toBe(false);
    expect(await levels()).toEqual({ a: 8, b: 2, c: 0 });
    expect(await orders.find(placed.id)).toEqual(placed);
  });

  it('charges shipping below the free-shipping threshold', async () => {
    const { order: placed } = await orders.place(order('t-1', [line('a', 1)]));
    expect(placed).toMatchObject({ subtotalCents: 1450, shippingCents: 495, totalCents: 1945 });
  });

  it('keeps the name and unit price it was given, whatever the catalog says later', async () => {
    const { order: placed } = await orders.place(
      order('t-1', [{ productId: 'a', name: 'Old name', unitPriceCents: 999, quantity: 3 }]),
    );
    const found = await orders.find(placed.id);
    expect(found?.lines).toEqual([
      { productId: 'a', name: 'Old name', unitPriceCents: 999, quantity: 3, lineTotalCents: 2997 },
    ]);
  });

  it('sells the last unit, leaving the stock at zero', async () => {
    await orders.place(order('t-1', [line('b', 3)]));
    expect((await levels()).b).toBe(0);
  });

  it('returns the order already placed with the token, taking no more stock', async () => {
    const first = await orders.place(order('t-1', [line('a', 2)]));
    const again = await orders.place(order('t-1', [line('a', 5), line('b', 1)]));
    expect(again.created).toBe(false);
    expect(again.order).toEqual(first.order);
    expect(await levels()).toEqual({ a: 8, b: 3, c: 0 });
    expect(await rowCounts()).toEqual({ orders: 1, lines: 1 });
  });

  it('returns the order already placed with the token even once the stock it took has run out', async () => {
    const first = await orders.place(order('t-1', [line('b', 3)]));
    const again = await orders.place(order('t-1', [line('b', 3)]));
    expect(again).toEqual({ order: first.order, created: false });
    expect(await rowCounts()).toEqual({ orders: 1, lines: 1 });
  });

  it('passes on the database’s own failure, not that of a lookup made after it', async () => {
    let failures = 0;
    const failing: KyselyPlugin = {
      transformQuery() {
        failures++;
        throw new Error(`query ${failures} failed`);
      },
      transformResult: async ({ result }) => result,
    };
    const broken = new OrderRepository(db.withPlugin(failing));
    await expect(broken.place(order('t-1', [line('a', 1)]))).rejects.toThrow(/^query 1 failed$/);
    expect(failures).toBe(1);
  });

  it('refuses lines that want more than is left, listing each, and writes nothing', async () => {
    const err = await rejection(orders.place(order('t-1', [line('a', 2), line('b', 5), line('c', 1)])));
    expect(err).toBeInstanceOf(OutOfStockError);
    if (!(err instanceof OutOfStockError)) return;
    expect(err.shortages).toEqual([
      { productId: 'b', requested: 5, available: 3 },
      { productId: 'c', requested: 1, available: 0 },
    ]);
    expect(err.message).toBe('Some items are no longer available in the quantity you wanted');
    // The decrement of the line that fitted is rolled back with the rest.
    expect(await levels()).toEqual({ a: 10, b: 3, c: 0 });
    expect(await rowCounts()).toEqual({ orders: 0, lines: 0 });
    expect(await orders.findByToken('t-1')).toBeUndefined();
  });

  it('lists the shortages in the order of the cart, not of the product ids', async () => {
    const err = await rejection(orders.place(order('t-1', [line('c', 1), line('a', 11), line('b', 4)])));
    expect(err).toBeInstanceOf(OutOfStockError);
    if (!(err instanceof OutOfStockError)) return;
    expect(err.shortages.map((s) => s.productId)).toEqual(['c', 'a', 'b']);
  });

  // Two carts holding the same products in opposite order must queue on PostgreSQL's row
  // locks, not deadlock: every order takes the rows in one order, by product id.
  it('takes the stock rows in product-id order, whatever the order of the cart', async () => {
    const noted = noteDecrements(db);
    const repository = new OrderRepository(noted.db);
    const { order: placed } = await repository.place(order('t-1', [line('b', 1), line('a', 2)]));
    expect(noted.decremented).toEqual(['a', 'b']);
    expect(placed.lines.map((l) => l.productId)).toEqual(['b', 'a']);

    noted.decremented.length = 0;
    await rejection(repository.place(order('t-2', [line('b', 1), line('c', 1), line('a', 1)])));
    expect(noted.decremented).toEqual(['a', 'b', 'c']);
  });

  it('treats a product without a stock row as sold out', async () => {
    const err = await rejection(orders.place(order('t-1', [line('gone', 1)])));
    expect(err).toBeInstanceOf(OutOfStockError);
    if (err instanceof OutOfStockError)
      expect(err.shortages).toEqual([{ productId: 'gone', requested: 1, available: 0 }]);
  });

  it('counts a product listed twice against its stock once', async () => {
    const err = await rejection(orders.place(order('t-1', [line('b', 2), line('b', 2)])));
    expect(err).toBeInstanceOf(OutOfStockError);
    if (err instanceof OutOfStockError) expect(err.shortages).toEqual([{ productId: 'b', requested: 2, available: 1 }]);
    expect((await levels()).b).toBe(3);
  });

  it('takes the lines of a product listed twice in the order of the cart', async () => {
    const err = await rejection(orders.place(order('t-1', [line('b', 1), line('b', 3)])));
    expect(err).toBeInstanceOf(OutOfStockError);
    if (err instanceof OutOfStockError) expect(err.shortages).toEqual([{ productId: 'b', requested: 3, available: 2 }]);
  });

  it('lets a refused token be used again once the order fits', async () => {
    await rejection(orders.place(order('t-1', [line('b', 4)])));
    const { created } = await orders.place(order('t-1', [line('b', 3)]));
    expect(created).toBe(true);
    expect((await levels()).b).toBe(0);
  });

  // SQLite :memory: takes these one at a time, so nothing races here: this checks that
  // orders arriving together are each counted against what the ones before left. The
  // real race, two transactions at once, is staged on PostgreSQL (services/postgres-checkout).
  it('sells no more than is left when ten orders for the last units arrive together', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => orders.place(order(`t-${i}`, [line('b', 1)]))),
    );
    const placed = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(placed).toHaveLength(3);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(r.reason).toBeInstanceOf(OutOfStockError);
    expect((await levels()).b).toBe(0);
    expect(await rowCounts()).toEqual({ orders: 3, lines: 3 });
  });

  it('places one order when the same token arrives five times together (taken one at a time)', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => orders.place(order('t-1', [line('a', 2)]))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.order.id)).size).toBe(1);
    expect((await levels()).a).toBe(8);
    expect(await rowCounts()).toEqual({ orders: 1, lines: 1 });
  });

  it('refuses an order without lines and writes nothing', async () => {
    await expect(orders.place(order('t-1', []))).rejects.toThrow('An order needs at least one line');
    expect(await rowCounts()).toEqual({ orders: 0, lines: 0 });
  });

  it('refuses a line with a quantity below one, leaving the stock alone', async () => {
    await expect(orders.place(order('t-1', [line('a', -5)]))).rejects.toThrow('at least 1');
    await expect(orders.place(order('t-2', [line('a', 0)]))).rejects.toThrow('at least 1');
    await expect(orders.place(order('t-3', [line('a', 1.5)]))).rejects.toThrow('at least 1');
    expect((await levels()).a).toBe(10);
    expect(await rowCounts()).toEqual({ orders: 0, lines: 0 });
  });

  it('refuses the whole order when any one of its lines has a quantity below one', async () => {
    await expect(orders.place(order('t-1', [line('a', 2), line('b', 0)]))).rejects.toThrow('at least 1');
    await expect(orders.place(order('t-2', [line('a', -1), line('b', 1)]))).rejects.toThrow('at least 1');
    expect(await levels()).toMatchObject({ a: 10, b: 3 });
    expect(await rowCounts()).toEqual({ orders: 0, lines: 0 });
  });

  it('records the member who placed it', async () => {
    await addUser('u-1');
    const { order: placed } = await orders.place(order('t-1', [line('a', 1)], 'u-1'));
    expect(placed.userId).toBe('u-1');
    expect((await orders.find(placed.id))?.userId).toBe('u-1');
  });
});

describe('OrderRepository.find', () => {
  it('answers undefined for an unknown id', async () => {
    expect(await orders.find('nope')).toBeUndefined();
  });

  it('returns the lines in the order they were given', async () => {
    const { order: placed } = await orders.place(order('t-1', [line('b', 1), line('a', 1)]));
    expect((await orders.find(placed.id))?.lines.map((l) => l.productId)).toEqual(['b', 'a']);
  });
});

describe('OrderRepository.findByToken', () => {
  it('finds the order a token placed, and nothing for an unused token', async () => {
    const { order: placed } = await orders.place(order('t-1', [line('a', 1)]));
    expect(await orders.findByToken('t-1')).toEqual(placed);
    expect(await orders.findByToken('t-2')).toBeUndefined();
  });
});

describe('OrderRepository.pageForUser', () => {
  it("lists only the member's orders, newest first", async () => {
    await addUser('u-1');
    await addUser('u-2');
    // A clock that moves a minute per order: distinct creation times without waiting.
    let minute = 0;
    orders = new OrderRepository(db, () => new Date(Date.UTC(2026, 0, 1, 12, minute++)));
    const placed: Order[] = [];
    for (const token of ['t-1', 't-2', 't-3']) {
      placed.push((await orders.place(order(token, [line('a', 1)], 'u-1'))).order);
    }
    await orders.place(order('t-other', [line('a', 1)], 'u-2'));
    await orders.place(order('t-guest', [line('a', 1)]));
    const list = (await orders.pageForUser('u-1', 1, 20)).orders;
    expect(list.map((o) => o.id)).toEqual(placed.map((o) => o.id).reverse());
    expect(await orders.pageForUser('u-3', 1, 20)).toEqual({ orders: [], total: 0, page: 1, pageCount: 1 });
  });
});
