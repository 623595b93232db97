// The work the growth section (growth.ts) makes grow, made quickly but as the store
// itself would hold it: a catalog wide enough for a full cart, carts of any number of
// lines (through POST /cart/items), and a member with any number of orders (through the
// order repository, on the server's own SQLite file). Redis: growth-redis.ts.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserRepository } from '../../src/accounts/users.js';
import { type Product, parseProducts } from '../../src/catalog/products.js';
import { openDatabase } from '../../src/db/connect.js';
import { OrderRepository } from '../../src/orders/orders.js';
import { repoRoot } from './build.js';
import { generateCatalog } from './generate-catalog.js';
import { fillCart, JSON_HEADERS, newSession, PROXY_HEADERS } from './shopper.js';

const STOCK = 1_000_000;
const HOUR = 3_600_000;

export type WideCatalog = { file: string; products: Pick<Product, 'id' | 'name' | 'priceCents'>[] };

/** data/products.json and `extra` generated products, all stocked beyond any run: a catalog a full cart fits in. */
export function writeWideCatalog(dir: string, extra: number): WideCatalog {
  const seed = parseProducts(JSON.parse(readFileSync(join(repoRoot, 'data', 'products.json'), 'utf8')), 'seed');
  const products = [...seed, ...generateCatalog(extra)].map((p) => ({ ...p, stock: STOCK }));
  const file = join(dir, 'products-wide.json');
  writeFileSync(file, JSON.stringify(products));
  return { file, products };
}

/** A new session whose cart holds one of each product, added one POST /cart/items at a time. */
export async function sessionWithCart(url: string, productIds: readonly string[]): Promise<string> {
  const cookie = await newSession(url, '/cart');
  await fillCart(url, cookie, productIds);
  return cookie;
}

/** Registers `username` through POST /register and returns the logged-in cookie. */
export async function registerMember(url: string, username: string, password: string): Promise<string> {
  const cookie = await newSession(url, '/cart');
  const res = await fetch(`${url}/register`, {
    method: 'POST',
    headers: { ...PROXY_HEADERS, ...JSON_HEADERS, cookie },
    body: JSON.stringify({ username, password }),
  });
  await res.arrayBuffer();
  const loggedIn = res.headers.getSetCookie()[0]?.split(';')[0];
  if (res.status !== 201 || loggedIn === undefined) throw new Error(`POST /register answered ${res.status}`);
  return loggedIn;
}

const CONTACT = {
  name: 'Growth Member',
  email: 'member@example.com',
  address: '1 History Lane',
  city: 'Ordertown',
  postalCode: '12345',
  country: 'Benchland',
};

/**
 * `count` orders of one to three lines for `username`, an hour apart, the newest an
 * hour ago: placed through OrderRepository (stock taken, lines snapshotted) on the
 * server's database file, while the server runs, as a second instance would.
 */
export async function placeOrders(databaseFile: string, username: string, count: number, catalog: WideCatalog) {
  const db = await openDatabase(databaseFile);
  try {
    const user = await new UserRepository(db).find(username);
    if (user === undefined) throw new Error(`no member ${username}`);
    const first = Date.now() - count * HOUR;
    let i = 0;
    const orders = new OrderRepository(db, () => new Date(first + i * HOUR));
    for (; i < count; i++) {
      const lines = catalog.products.slice(i % 20, (i % 20) + 1 + (i % 3)).map((p) => ({
        productId: p.id,
        name: p.name,
        unitPriceCents: p.priceCents,
        quantity: 1 + (i % 2),
      }));
      await orders.place({ checkoutToken: randomBytes(16).toString('hex'), userId: user.id, contact: CONTACT, lines });
    }
  } finally {
    await db.destroy();
  }
}
