// A product as rows: the products table's columns to and from the domain's Product,
// the batched reads and writes an import is made of, and the rows search reads besides
// (SQLite's FTS5 table, the catalog's words).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CatalogRow } from './catalog.js';
import type { Product } from './products.js';
import { wordsOf } from './search.js';

export type ProductRow = Database['products'];

/** Rows per statement: 12 columns × 500 stays far below SQLite's and PostgreSQL's bound on parameters. */
const BATCH = 500;

/** Rows per read: each statement stays short, well inside DATABASE_TIMEOUT_MS, whatever the catalog's size. */
const READ_BATCH = 5_000;

/** The rows changed after `version`, read in ID order a batch at a time. */
export async function readRows(db: Kysely<Database>, version: number): Promise<ProductRow[]> {
  const rows: ProductRow[] = [];
  for (let after = ''; ; ) {
    const batch = await db
      .selectFrom('products')
      .selectAll()
      .where('changed_in', '>', version)
      .where('id', '>', after)
      .orderBy('id')
      .limit(READ_BATCH)
      .execute();
    rows.push(...batch);
    const last = batch.at(-1);
    if (last === undefined || batch.length < READ_BATCH) return rows;
    after = last.id;
  }
}

export function toRow(p: Product, position: number, version: number, searchId: number): ProductRow {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    description: p.description,
    price_cents: p.priceCents,
    category: p.category,
    image: p.image,
    seed_stock: p.stock,
    position,
    active: 1,
    changed_in: version,
    search_id: searchId,
  };
}

export function toCatalogRow(r: ProductRow): CatalogRow {
  const product: Product = {
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    priceCents: r.price_cents,
    category: r.category,
    stock: r.seed_stock,
    image: r.image,
  };
  return { product, position: r.position, active: r.active === 1 };
}

/** What an import compares: a row whose every one of these is the same is not written (nor reloaded by instances). */
const COMPARED: readonly (keyof ProductRow)[] = [
  'slug',
  'name',
  'description',
  'price_cents',
  'category',
  'image',
  'seed_stock',
  'position',
  'active',
];

export function differs(old: ProductRow | undefined, row: ProductRow): boolean {
  if (old === undefined) return true;
  return COMPARED.some((column) => old[column] !== row[column]);
}

export function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

export async function upsert(trx: Kysely<Database>, rows: ProductRow[]): Promise<void> {
  await trx
    .insertInto('products')
    .values(rows)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        slug: eb.ref('excluded.slug'),
        name: eb.ref('excluded.name'),
        description: eb.ref('excluded.description'),
        price_cents: eb.ref('excluded.price_cents'),
        category: eb.ref('excluded.category'),
        image: eb.ref('excluded.image'),
        seed_stock: eb.ref('excluded.seed_stock'),
        position: eb.ref('excluded.position'),
        active: eb.ref('excluded.active'),
        changed_in: eb.ref('excluded.changed_in'),
      })),
    )
    .execute();
}

/** SQLite's FTS5 table is kept by hand (PostgreSQL's tsvector is a generated column). */
export async function indexText(trx: Kysely<Database>, changed: ProductRow[], goneSearchIds: number[]): Promise<void> {
  for (const ids of batches([...changed.map((r) => r.search_id), ...goneSearchIds]))
    await sql`delete from products_fts where rowid in (${sql.join(ids)})`.execute(trx);
  for (const batch of batches(changed)) {
    const values = batch.map((r) => sql`(${r.search_id}, ${r.name}, ${`${r.description} ${r.category}`})`);
    await sql`insert into products_fts (rowid, name, body) values ${sql.join(values)}`.execute(trx);
  }
}

export async function replaceWords(trx: Kysely<Database>, products: readonly Product[]): Promise<void> {
  const words = new Set<string>();
  for (const p of products) for (const w of wordsOf(`${p.name} ${p.description} ${p.category}`)) words.add(w);
  await trx.deleteFrom('catalog_words').execute();
  for (const batch of batches([...words])) {
    await trx
      .insertInto('catalog_words')
      .values(batch.map((word) => ({ word })))
      .execute();
  }
}
