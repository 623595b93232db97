// The growth section of `npm run bench` (alone: `npm run bench:growth`): what one
// request costs as the work behind it grows, the small and the large side measured in
// turn (growth-measure.ts), on the production build with the real stores:
// - sessions the store holds besides the shopper's (growth-sessions.ts): memorystore
//   1,000 / 100,000, Redis 10,000 / 1,000,000 (--quick: 1,000 / 100,000);
// - lines in the cart, 1 / 50 (50 is CART_MAX_LINES, the most a cart may hold), for
//   GET /cart and for an add;
// - one member's orders, 10 / 1,000, for GET /orders (20 a page), and the 1,000-order
//   history's page 50 against its page 1.
// Target: CPU per request at the large size ≤ 1.5× the CPU at the small one.
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { ORDERS_PER_PAGE } from '../../src/routes/orders.js';
import { type Build, buildAll } from './build.js';
import { placeOrders, registerMember, sessionWithCart, type WideCatalog, writeWideCatalog } from './growth-fill.js';
import { CONNECTIONS, measurePair, type Side } from './growth-measure.js';
import { type GrowthRow, printGrowth } from './growth-print.js';
import { count, type Found, memorystoreSessions, oneCookie, type Progress, redisSessions } from './growth-sessions.js';
import type { LoadRequest } from './load.js';
import { type BenchOptions, benchOptions } from './options.js';
import type { Server } from './processes.js';
import { ACCEPT_JSON, CART_PRODUCTS, JSON_HEADERS, PROXY_HEADERS } from './shopper.js';
import { startTarget } from './targets.js';

/** The store's default cap on lines: the most a cart can hold as shipped. */
const MAX_LINES = loadConfig({ NODE_ENV: 'test' }).cartLimits.maxLines;
const LINES = [1, Math.min(50, MAX_LINES)] as const;
const LINES_TITLE = `lines in the cart${LINES[1] === MAX_LINES ? ` (${LINES[1]} = CART_MAX_LINES, the cap)` : ''}`;
const ORDERS = [10, 1_000] as const;
const ADD_CAP = 900; // adds per connection and slice: one line stays under CART_MAX_PER_LINE=999

const getCart: LoadRequest[] = [{ method: 'GET', path: '/cart', headers: { ...PROXY_HEADERS, ...ACCEPT_JSON } }];
const addOne: LoadRequest[] = [
  {
    method: 'POST',
    path: '/cart/items',
    headers: { ...PROXY_HEADERS, ...JSON_HEADERS },
    body: JSON.stringify({ productId: CART_PRODUCTS[0], quantity: 1 }),
  },
];
const ordersPage = (page: number): LoadRequest[] => [
  {
    method: 'GET',
    path: page === 1 ? '/orders' : `/orders?page=${page}`,
    headers: { ...PROXY_HEADERS, accept: 'text/html' },
  },
];

export async function runGrowth(build: Build, options: BenchOptions, progress: Progress): Promise<boolean> {
  const found: Found[] = [await memorystoreSessions(build, options, progress)];
  const redis = await redisSessions(build, options, progress);
  if (redis) found.push(redis);
  const rows = [...found.map((f) => f.row), ...(await cartsAndOrders(build, options, progress))];
  const notes = found.flatMap((f) => f.notes);
  if (!redis) notes.push('Redis: not measured, no redis-server program to start a private one with.');
  return printGrowth(rows, notes, options.quick);
}

/** One store, stocked and wide enough for a full cart: the carts, then two members' histories. */
async function cartsAndOrders(build: Build, options: BenchOptions, progress: Progress): Promise<GrowthRow[]> {
  const catalog = writeWideCatalog(build.dir, LINES[1]);
  const database = join(build.dir, `growth-${Date.now()}.db`);
  const env = { CATALOG_FILE: catalog.file, CART_MAX_PER_LINE: '999', DATABASE_URL: database };
  const server = await startTarget(build, 'store', { env });
  try {
    // p-001, the line the adds grow, first; then as many other products as the cart has lines.
    const others = catalog.products.map((p) => p.id).filter((id) => id !== CART_PRODUCTS[0]);
    const cart = (lines: number) => sessionWithCart(server.url, [CART_PRODUCTS[0], ...others.slice(0, lines - 1)]);
    progress(`Growth: carts of ${LINES.join(' and ')} lines…`);
    const [one, full] = await Promise.all(LINES.map(cart));
    if (one === undefined || full === undefined) throw new Error('a cart is missing');
    const reading = {
      base: oneCookie(server, getCart, one),
      grown: oneCookie(server, getCart, full),
      connections: CONNECTIONS,
    };
    const read = await measurePair(reading, options);
    // An add grows its line for good: every slice gets fresh carts, one per connection.
    const adding = (lines: number): Side => ({
      url: server.url,
      requests: addOne,
      cookies: () => Promise.all(Array.from({ length: CONNECTIONS }, () => cart(lines))),
      pids: [server.pid],
    });
    const add = {
      base: adding(LINES[0]),
      grown: adding(LINES[1]),
      connections: CONNECTIONS,
      maxPerConnection: ADD_CAP,
    };
    const added = await measurePair(add, options);
    return [
      { grows: LINES_TITLE, request: 'GET /cart JSON, 1 cookie', sizes: LINES, ...read },
      {
        grows: LINES_TITLE,
        request: `POST /cart/items (1 more of a line), ${CONNECTIONS} cookies`,
        sizes: LINES,
        ...added,
      },
      ...(await orderHistories(server, database, catalog, options, progress)),
    ];
  } finally {
    await server.stop();
  }
}

async function orderHistories(
  server: Server,
  database: string,
  catalog: WideCatalog,
  options: BenchOptions,
  progress: Progress,
): Promise<GrowthRow[]> {
  progress(`Growth: two members with ${ORDERS.map(count).join(' and ')} orders…`);
  // One member after the other: placeOrders writes through a second connection to the
  // server's SQLite file, and two writers at once would meet "database is locked".
  const cookies: string[] = [];
  for (const n of ORDERS) {
    cookies.push(await registerMember(server.url, `growth-${n}`, 'growth-bench-pass'));
    await placeOrders(database, `growth-${n}`, n, catalog);
  }
  const [few, many] = cookies;
  if (few === undefined || many === undefined) throw new Error('a member is missing');
  // Page 1 shows all 10 orders of the one and 20 of the other's 1,000: what a member sees first.
  const firstPages = {
    base: oneCookie(server, ordersPage(1), few),
    grown: oneCookie(server, ordersPage(1), many),
    connections: CONNECTIONS,
  };
  // And the 1,000-order history's last page against its first: the offset grows, the page does not.
  const lastPage = Math.ceil(ORDERS[1] / ORDERS_PER_PAGE);
  const pages = {
    base: oneCookie(server, ordersPage(1), many),
    grown: oneCookie(server, ordersPage(lastPage), many),
    connections: CONNECTIONS,
  };
  return [
    {
      grows: "one member's orders",
      request: `GET /orders HTML, page 1 (${ORDERS[0]} / ${ORDERS_PER_PAGE} orders on it), 1 cookie`,
      sizes: ORDERS,
      ...(await measurePair(firstPages, options)),
    },
    {
      grows: `page of ${count(ORDERS[1])} orders`,
      request: 'GET /orders?page=N HTML, 1 cookie',
      sizes: [1, lastPage],
      ...(await measurePair(pages, options)),
    },
  ];
}

if (process.argv[1] === import.meta.filename) {
  const started = Date.now();
  const progress = (message: string) =>
    console.error(`${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${message}`);
  const options = benchOptions();
  progress('Building the store for production (into a temp dir)…');
  const build = await buildAll();
  const pass = await runGrowth(build, options, progress).finally(() => build.remove());
  process.exit(pass ? 0 : 1);
}
