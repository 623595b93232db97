// The product file, data/products.json, validated at start-up: a broken file stops
// the server with a message naming the product and the field.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** What a product id looks like: the catalog file and every request naming a product check it. */
export const PRODUCT_ID = /^[\w-]{1,40}$/;

export const productSchema = z.strictObject({
  id: z.string().regex(PRODUCT_ID, 'must be 1–40 letters, digits, - or _'),
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by -'),
  name: z.string().min(1).max(120),
  description: z.string().min(1).max(1000),
  priceCents: z.number().int().positive(),
  category: z.string().regex(/^[a-z0-9-]+$/, 'must be a lowercase word'),
  stock: z.number().int().nonnegative(),
  image: z.string().startsWith('/', 'must be a path under public/, starting with /'),
});

export type Product = z.infer<typeof productSchema>;

export class CatalogFileError extends Error {}

export function parseProducts(json: unknown, source = 'products.json'): Product[] {
  if (!Array.isArray(json)) throw new CatalogFileError(`${source}: expected an array of products`);
  const products = json.map((raw: unknown, index) => {
    const result = productSchema.safeParse(raw);
    if (result.success) return result.data;
    const label = describe(raw, index);
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(product)'}: ${i.message}`);
    throw new CatalogFileError(`${source}: product ${label}: ${problems.join('; ')}`);
  });
  for (const key of ['id', 'slug'] as const) {
    const seen = new Set<string>();
    for (const p of products) {
      if (seen.has(p[key]))
        throw new CatalogFileError(`${source}: product "${p.id}": ${key} "${p[key]}" is used twice`);
      seen.add(p[key]);
    }
  }
  return products;
}

export function loadProducts(file: string): Product[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CatalogFileError(`${file}: cannot read the catalog: ${(err as Error).message}`);
  }
  return parseProducts(json, file);
}

function describe(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
  return typeof id === 'string' ? `"${id}" (#${index + 1})` : `#${index + 1}`;
}
