// The products table: reading it whole or what changed since a catalog version, and
// importing a catalog file into it. An import writes only what differs, withdraws
// (never deletes) what the file left out, and moves the catalog version that running
// instances poll (catalog/catalog-sync.ts) — all in one transaction.
import { type Kysely, sql } from 'kysely';
import { type Db, engineOf } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { writeTransaction } from '../db/write-transaction.js';
import type { CatalogRow } from './catalog.js';
import type { Product } from './products.js';
import { wordsOf } from './search.js';

export type ImportSummary = { version: number; added: number; changed: number; withdrawn: number; unchanged: number };

type ProductRow = Database['products'];

/** Rows per statement: 11 columns × 500 stays far below SQLite's and PostgreSQL's bound on parameters. */
const BATCH = 500;

export class ProductRepository {
  constructor(private readonly db: Db) {}

  async version(): Promise<number> {
    const row = await this.db.selectFrom('catalog_version').select('version').where('id', '=', 1).executeTakeFirst();
    return row?.version ?? 0;
  }

  /** Every row changed after `version` (all of them for -1), withdrawn ones included. */
  async changedSince(version: number): Promise<CatalogRow[]> {
    return (await readRows(this.db, version)).map(toCatalogRow);
  }

  async isEmpty(): Promise<boolean> {
    return (await this.db.selectFrom('products').select('id').limit(1).executeTakeFirst()) === undefined;
  }

  /** The words of the products on sale, sorted: what a misspelt query word is corrected to. */
  async words(): Promise<string[]> {
    const rows = await this.db.selectFrom('catalog_words').select('word').execute();
    return rows.map((r) => r.word).sort();
  }

  /** Makes the products on sale exactly `products` (already validated), in their order. */
  async import(products: readonly Product[]): Promise<ImportSummary> {
    const summary = await this.write(products);
    // PostgreSQL reads an index alone (a deep page skipping rows by index) only for pages its
    // visibility map marks all-visible, which VACUUM does; it cannot run inside the transaction.
    // Best effort: past DATABASE_TIMEOUT_MS (a big first import at start-up) autovacuum does it soon after.
    if (engineOf(this.db) === 'postgres' && summary.added + summary.changed + summary.withdrawn > 0)
      await sql`vacuum (analyze) products`.execute(this.db).catch(() => {});
    return summary;
  }

  private async write(products: readonly Product[]): Promise<ImportSummary> {
    return writeTransaction(this.db, async (trx) => {
      // Two instances seeding one empty database at once take turns (SQLite's write lock does the same).
      if (engineOf(this.db) === 'postgres')
        await sql`select pg_advisory_xact_lock(hashtext('shop.catalog'))`.execute(trx);
      const existing = new Map((await readRows(trx, -1)).map((r) => [r.id, r]));
      const version =
        ((await trx.selectFrom('catalog_version').select('version').executeTakeFirst())?.version ?? 0) + 1;
      let nextSearchId = 1;
      for (const r of existing.values()) nextSearchId = Math.max(nextSearchId, r.search_id + 1);
      const rows = products.map((p, position) =>
        toRow(p, position, version, existing.get(p.id)?.search_id ?? nextSearchId++),
      );
      const changed = rows.filter((row) => differs(existing.get(row.id), row));
      const listed = new Set(rows.map((r) => r.id));
      const withdrawn = [...existing.values()].filter((r) => r.active === 1 && !listed.has(r.id)).map((r) => r.id);
      const added = changed.filter((r) => !existing.has(r.id));
      const summary = { added: added.length, changed: changed.length - added.length, withdrawn: withdrawn.length };
      const unchanged = rows.length - changed.length;
      if (changed.length === 0 && withdrawn.length === 0) return { version: version - 1, ...summary, unchanged };

      for (const batch of batches(changed)) await upsert(trx, batch);
      for (const ids of batches(withdrawn))
        await trx.updateTable('products').set({ active: 0, changed_in: version }).where('id', 'in', ids).execute();
      const goneSearchIds = withdrawn.map((id) => existing.get(id)?.search_id ?? 0);
      if (engineOf(this.db) === 'sqlite') await indexText(trx, changed, goneSearchIds);
      // New products start with the file's stock; a product's stock, once there, is the shop's own.
      for (const batch of batches(added))
        await trx
          .insertInto('stock')
          .values(batch.map((r) => ({ product_id: r.id, quantity: r.seed_stock })))
          .onConflict((oc) => oc.column('product_id').doNothing())
          .execute();
      await replaceWords(trx, products);
      await trx.updateTable('catalog_version').set({ version }).where('id', '=', 1).execute();
      // Fresh statistics, or a planner that believes `active = 1` is selective walks every
      // product to find the few a search matched (PostgreSQL's come with its VACUUM, above).
      if (engineOf(this.db) === 'sqlite') await sql`analyze products`.execute(trx);
      return { version, ...summary, unchanged };
    });
  }
}

/** Rows per read: each statement stays short, well inside DATABASE_TIMEOUT_MS, whatever the catalog's size. */
const READ_BATCH = 5_000;

/** The rows changed after `version`, read in ID order a batch at a time. */
async function readRows(db: Kysely<Database>, version: number): Promise<ProductRow[]> {
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

function toRow(p: Product, position: number, version: number, searchId: number): ProductRow {
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

function toCatalogRow(r: ProductRow): CatalogRow {
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

const COMPARED = [
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

function differs(old: ProductRow | undefined, row: ProductRow): boolean {
  if (old === undefined) return true;
  return COMPARED.some((column) => old[column as keyof ProductRow] !== row[column as keyof ProductRow]);
}

function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

async function upsert(trx: Kysely<Database>, rows: ProductRow[]): Promise<void> {
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
async function indexText(trx: Kysely<Database>, changed: ProductRow[], goneSearchIds: number[]): Promise<void> {
  for (const ids of batches([...changed.map((r) => r.search_id), ...goneSearchIds]))
    await sql`delete from products_fts where rowid in (${sql.join(ids)})`.execute(trx);
  for (const batch of batches(changed)) {
    const values = batch.map((r) => sql`(${r.search_id}, ${r.name}, ${`${r.description} ${r.category}`})`);
    await sql`insert into products_fts (rowid, name, body) values ${sql.join(values)}`.execute(trx);
  }
}

async function replaceWords(trx: Kysely<Database>, products: readonly Product[]): Promise<void> {
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
