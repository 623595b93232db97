// The catalog as the scenarios see it. The store reads data/products.json; the
// "stocked" server reads a copy in which CART_PRODUCTS[0] (p-001, the product the add
// and checkout scenarios buy) is stocked far beyond anything a run can sell, so a
// run never ends in 409 "sold out" — every answer must be 2xx, and a refusal would
// mean something else broke. Everything else about the catalog is left as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './build.js';
import { CART_PRODUCTS } from './shopper.js';

const CATALOG = join(repoRoot, 'data', 'products.json');
const BENCH_STOCK = 1_000_000;

type ProductEntry = { id: string; slug: string; stock: number };

function products(): ProductEntry[] {
  const raw: unknown = JSON.parse(readFileSync(CATALOG, 'utf8'));
  if (!Array.isArray(raw)) throw new Error(`${CATALOG}: expected an array`);
  return raw.map((entry: unknown) => {
    const fields = typeof entry === 'object' && entry !== null ? entry : {};
    const id = 'id' in fields ? fields.id : undefined;
    const slug = 'slug' in fields ? fields.slug : undefined;
    const stock = 'stock' in fields ? fields.stock : undefined;
    if (typeof id !== 'string' || typeof slug !== 'string' || typeof stock !== 'number')
      throw new Error(`${CATALOG}: a product lacks id, slug or stock`);
    return { id, slug, stock };
  });
}

/** Slugs of the first `count` products in stock, for the product-page scenario. */
export function productSlugs(count: number): string[] {
  const slugs = products()
    .filter((p) => p.stock > 0)
    .slice(0, count)
    .map((p) => p.slug);
  if (slugs.length === 0) throw new Error(`${CATALOG}: no product in stock`);
  return slugs;
}

/** Writes the stocked copy of the catalog into `dir` and returns its path. */
export function writeStockedCatalog(dir: string): string {
  const raw: unknown = JSON.parse(readFileSync(CATALOG, 'utf8'));
  if (!Array.isArray(raw)) throw new Error(`${CATALOG}: expected an array`);
  const stocked = raw.map((entry: unknown) =>
    typeof entry === 'object' && entry !== null && 'id' in entry && entry.id === CART_PRODUCTS[0]
      ? { ...entry, stock: BENCH_STOCK }
      : entry,
  );
  const file = join(dir, 'products-stocked.json');
  writeFileSync(file, JSON.stringify(stocked, null, 2));
  return file;
}
