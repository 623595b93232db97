// The catalog's tables (migration 003): products, the catalog version instances poll,
// the words search corrects misspellings to, and each engine's own text index:
// an FTS5 table on SQLite, a weighted tsvector with GIN, pg_trgm and unaccent on PostgreSQL.
import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from './migrations.js';

/** A product is never deleted: `active = 0` withdraws it, so orders and saved carts keep their ID. */
async function createProducts(db: Kysely<unknown>, engine: Engine): Promise<void> {
  // PostgreSQL sorts names byte by byte, as SQLite does, so both engines page alike.
  const nameType = engine === 'postgres' ? sql`text collate "C"` : sql`text`;
  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', nameType, (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('image', 'text', (c) => c.notNull())
    .addColumn('seed_stock', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('changed_in', 'integer', (c) => c.notNull())
    // SQLite's text index names each product by this number (its FTS5 rowid), which
    // the index hands back without reading a row; never reused, never changed.
    .addColumn('search_id', 'integer', (c) => c.notNull().unique())
    .execute();
  // One index per way of browsing: each order (and each order within a category) is read
  // from an index, never sorted, so a deep page skips index entries instead of sorting rows.
  const indexes: [string, string[]][] = [
    ['products_featured', ['active', 'position']],
    ['products_price', ['active', 'price_cents', 'name', 'id']],
    ['products_name', ['active', 'name', 'id']],
    ['products_category_featured', ['category', 'active', 'position']],
    ['products_category_price', ['category', 'active', 'price_cents', 'name', 'id']],
    ['products_category_name', ['category', 'active', 'name', 'id']],
    ['products_changed_in', ['changed_in']],
    ['products_slug', ['slug']],
  ];
  for (const [name, columns] of indexes) await db.schema.createIndex(name).on('products').columns(columns).execute();
  // Dearest first, and among equal prices by name: the one order whose columns run both ways.
  await sql`create index products_price_desc on products (active, price_cents desc, name, id)`.execute(db);
  await sql`create index products_category_price_desc on products (category, active, price_cents desc, name, id)`.execute(
    db,
  );
  await db.schema
    .createTable('catalog_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into catalog_version (id, version) values (1, 0)`.execute(db);
  await db.schema
    .createTable('catalog_words')
    .addColumn('word', 'text', (c) => c.primaryKey())
    .execute();
}

async function sqliteSearch(db: Kysely<unknown>): Promise<void> {
  // remove_diacritics 2: "ETHIOPÍA" and "café" match as "ethiopia" and "cafe"; prefix
  // indexes make "cof*" a lookup rather than a scan of the vocabulary. Its rowid is the
  // product's search_id. detail = column: each query word is one token, asked for in a
  // column or anywhere, never as a phrase, so word positions are not kept (smaller lists
  // to read for a common word: a fifth to a third faster, measured at 100,000 products).
  await sql`
    create virtual table products_fts using fts5(
      name, body,
      tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', detail = column)`.execute(db);
  // A search finds search_ids; this index answers everything asked of them (on sale? which
  // category, price, place, name?) without reading the rows: a word found in 20,000
  // products costs 20,000 index probes, not 20,000 probes and as many row reads.
  await sql`
    create index products_search_cover
    on products (search_id, active, category, price_cents, position, name, id)`.execute(db);
}

async function postgresSearch(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);
  // unaccent() is only STABLE (its dictionary could change); an index needs IMMUTABLE.
  // Naming the dictionary pins it, the usual way to index unaccented text.
  await sql`
    create or replace function shop_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`.execute(db);
  // Name words weigh A, description and category B: a tsquery can then ask "in the name?".
  await sql`
    alter table products add column search tsvector generated always as (
      setweight(to_tsvector('simple', shop_unaccent(name)), 'A') ||
      setweight(to_tsvector('simple', shop_unaccent(description || ' ' || category)), 'B')
    ) stored`.execute(db);
  await sql`create index products_search on products using gin (search)`.execute(db);
  await sql`create index catalog_words_trgm on catalog_words using gin (word gin_trgm_ops)`.execute(db);
}

export function catalogMigration(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await createProducts(db, engine);
      await (engine === 'postgres' ? postgresSearch(db) : sqliteSearch(db));
    },
  };
}
