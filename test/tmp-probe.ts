import { Catalog } from '../src/catalog/catalog.js';
import { CatalogSearch } from '../src/catalog/catalog-search.js';
import { CatalogSync } from '../src/catalog/catalog-sync.js';
import { ProductRepository } from '../src/catalog/product-store.js';
import { loadProducts } from '../src/catalog/products.js';
import { openDatabase } from '../src/db/connect.js';

const url = process.argv[2] ?? '/tmp/scale.db';
const db = await openDatabase(url, { timeoutMs: 60000 });
const repo = new ProductRepository(db);
let t = Date.now();
const products = loadProducts('/tmp/products-100k.json');
console.log('parse', Date.now() - t);
t = Date.now();
const catalog = new Catalog();
const s = await new CatalogSync(repo, catalog).start(() => products);
console.log('import+load', Date.now() - t, s);
t = Date.now();
const search = new CatalogSearch(db, catalog, repo);
const qs: [string | undefined, Record<string, unknown>][] = [
  ['kenya honey', {}],
  ['cofee', {}],
  ['grinder', {}],
  ['tea', {}],
  ['chocolate', {}],
  [undefined, { page: 400 }],
  [undefined, { category: 'tea', page: 50 }],
  ['espresso', { sort: 'price-asc', page: 20 }],
  [undefined, { sort: 'name', page: 3000 }],
  ['bright washed', { category: 'coffee' }],
];
for (const [q, more] of qs) {
  const t0 = performance.now();
  const r = await search.search({ q, sort: 'featured', page: 1, pageSize: 24, ...more });
  console.log(JSON.stringify([q, more]), r.total, r.searchedFor, (performance.now() - t0).toFixed(1), 'ms');
}
console.log(
  'heap MB',
  Math.round(process.memoryUsage().heapUsed / 1e6),
  'rss',
  Math.round(process.memoryUsage().rss / 1e6),
);
await db.destroy();
