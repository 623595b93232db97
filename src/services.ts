// Everything the app needs, built once from config and open connections and
// handed to createApp(): tests build the same thing over SQLite :memory:.
import type { Store } from 'express-session';
import { SavedCartRepository } from './accounts/saved-carts.js';
import { UserRepository } from './accounts/users.js';
import type { Catalog } from './catalog/catalog.js';
import { CatalogSearch } from './catalog/catalog-search.js';
import { CatalogSync } from './catalog/catalog-sync.js';
import { ProductRepository } from './catalog/product-store.js';
import { loadProducts } from './catalog/products.js';
import { StockRepository } from './catalog/stock.js';
import type { Config } from './config.js';
import { type Db, poolCounts } from './db/connect.js';
import { Metrics } from './metrics.js';
import { OrderRepository } from './orders/orders.js';
import { openWaitingConnection, type Redis } from './redis.js';
import { LiveCarts } from './session/live-carts.js';
import { createSessionStore, SESSION_KEY_PREFIX } from './session/setup.js';
import { LocalSessionLock, type SessionLock } from './session/store/lock.js';
import { RedisSessionLock } from './session/store/redis-lock.js';
import { PageCache } from './web/render/page-cache.js';

export type Services = {
  config: Config;
  /** The products on sale, in memory, kept in step with the database by catalogSync. */
  catalog: Catalog;
  catalogSync: CatalogSync;
  /** Browsing and search, run by the database. */
  search: CatalogSearch;
  products: ProductRepository;
  db: Db;
  stock: StockRepository;
  users: UserRepository;
  savedCarts: SavedCartRepository;
  orders: OrderRepository;
  carts: LiveCarts;
  sessionStore: Store;
  sessionStoreName: string;
  lock: SessionLock;
  /** Rendered catalog pages, filled in per shopper (web/render/page-cache.ts). */
  pages: PageCache;
  /** What GET /metrics on METRICS_PORT reports (metrics.ts). */
  metrics: Metrics;
  redis?: Redis;
  /** REDIS_WAIT_REPLICAS: the second connection, for writes and their WAITs (redis.ts). */
  waitingRedis?: Redis;
  /**
   * The clock (epoch ms) for login timeouts: Date.now, or in tests a fake one that
   * jumps ahead, so an idle timeout passes without the test waiting for it.
   */
  now: () => number;
};

export async function createServices(
  config: Config,
  catalog: Catalog,
  db: Db,
  redis?: Redis,
  now: () => number = Date.now,
): Promise<Services> {
  // An empty database takes `catalog`'s products (tests) or else CATALOG_FILE as its first
  // import; after that the database is the catalog, and `catalog` is refilled from it.
  // The file is read only then: a store whose database holds a catalog never parses it.
  const products = new ProductRepository(db);
  const catalogSync = new CatalogSync(products, catalog);
  await catalogSync.start(() => (catalog.products.length > 0 ? catalog.products : loadProducts(config.catalogFile)));
  const stock = new StockRepository(db);
  const savedCarts = new SavedCartRepository(db);
  const waits = redis !== undefined && config.redisWaitReplicas > 0;
  const waiting = waits ? await openWaitingConnection(redis, config.timeouts.storeMs) : undefined;
  const redisLock = redis
    ? new RedisSessionLock(redis, {
        leaseMs: config.lock.leaseMs,
        callTimeoutMs: config.timeouts.storeMs,
        maxWaiting: config.lock.maxWaiting,
        // The session is read in the same round trip as its lock is taken.
        dataKeyOf: (sid) => SESSION_KEY_PREFIX + sid,
        waitReplicas: config.redisWaitReplicas,
        waiting,
      })
    : undefined;
  const metrics = new Metrics();
  if (poolCounts(db)) metrics.watchPool(() => poolCounts(db));
  const observe = (operation: string, seconds: number) => metrics.storeCalled(operation, seconds);
  const { store, name } = createSessionStore(config, { redis, waiting, lock: redisLock, observe });
  return {
    config,
    catalog,
    catalogSync,
    search: new CatalogSearch(db, catalog, products),
    products,
    db,
    stock,
    users: new UserRepository(db),
    savedCarts,
    orders: new OrderRepository(db),
    carts: new LiveCarts(catalog, stock, savedCarts, config.cartLimits),
    sessionStore: store,
    sessionStoreName: name,
    pages: new PageCache(undefined, (hit) => metrics.pageLookedUp(hit)),
    metrics,
    lock: redisLock ?? new LocalSessionLock(config.lock.maxWaiting),
    redis,
    waitingRedis: waiting,
    now,
  };
}
