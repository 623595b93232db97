// The products table: reading it whole or what changed since a catalog version, and
// importing a catalog file into it. An import writes only what differs, withdraws
// (never deletes) what the file left out, and moves the catalog version that running
// instances poll (catalog/catalog-sync.ts) — all in one transaction.
import { sql } from 'kysely';
import { type Db, engineOf } from '../db/connect.js';
import { writeTransaction } from '../db/write-transaction.js';
import type { CatalogRow } from './catalog.js';
import { batches, differs, indexText, readRows, replaceWords, toCatalogRow, toRow, upsert } from './product-rows.js';
import type { Product } from './products.js';

export type ImportSummary = { version: number; added: number; changed: number; withdrawn: number; unchanged: number };

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
