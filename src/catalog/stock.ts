// Current stock per product, kept in the database (seeded by the catalog import)
// so that checkouts on any instance see and change the same numbers. Everything reads
// it fresh; a page reads the levels of its own products only (levelsOf), so a sale
// changes the cache key of the pages showing that product and of no other.
import { CompiledQuery } from 'kysely';
import type { Availability } from '../cart/cart.js';
import type { Db } from '../db/connect.js';
import type { Catalog } from './catalog.js';

export type StockLevels = ReadonlyMap<string, number>;

const SEED_BATCH = 1_000;

export class StockRepository {
  // Built and compiled once, not per call: one product's level is read on every cart change.
  private readonly levelsQuery;
  private readonly levelSql: string;

  constructor(private readonly db: Db) {
    this.levelsQuery = db.selectFrom('stock').select(['product_id', 'quantity']).compile();
    // The dialect's own SQL (`?` or `$1`), compiled with a stand-in and run with the real ID.
    this.levelSql = db.selectFrom('stock').select('quantity').where('product_id', '=', '').compile().sql;
  }

  /** Adds products that are new to the database; existing stock is left as it is. */
  async seed(catalog: Catalog): Promise<void> {
    // In batches: one statement may carry only so many parameters (32,766 on SQLite).
    for (let i = 0; i < catalog.products.length; i += SEED_BATCH) {
      await this.db
        .insertInto('stock')
        .values(catalog.products.slice(i, i + SEED_BATCH).map((p) => ({ product_id: p.id, quantity: p.stock })))
        .onConflict((oc) => oc.column('product_id').doNothing())
        .execute();
    }
  }

  /** How many of one product are left, read now. */
  async levelOf(productId: string): Promise<number> {
    const { rows } = await this.db.executeQuery<{ quantity: number }>(CompiledQuery.raw(this.levelSql, [productId]));
    return rows[0]?.quantity ?? 0;
  }

  /** The levels of these products only: what one page of the catalog shows. */
  async levelsOf(productIds: readonly string[]): Promise<StockLevels> {
    if (productIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('stock')
      .select(['product_id', 'quantity'])
      .where('product_id', 'in', productIds)
      .execute();
    return new Map(rows.map((r) => [r.product_id, r.quantity]));
  }

  async levels(): Promise<StockLevels> {
    const { rows } = await this.db.executeQuery(this.levelsQuery);
    return new Map(rows.map((r) => [r.product_id, r.quantity]));
  }

  async set(productId: string, quantity: number): Promise<void> {
    await this.db.updateTable('stock').set({ quantity }).where('product_id', '=', productId).execute();
  }
}

/** Answers "does it exist, how many are left" for the cart rules, from one read of the levels. */
export function availabilityFrom(catalog: Catalog, levels: StockLevels): Availability {
  return (productId) => {
    if (catalog.findById(productId) === undefined) return undefined;
    return { stock: levels.get(productId) ?? 0 };
  };
}

/** The same for a rule about one product only (`levels` holds just its level); asking about another is a bug. */
export function availabilityOf(catalog: Catalog, levels: StockLevels): Availability {
  const known = availabilityFrom(catalog, levels);
  return (productId) => {
    if (!levels.has(productId)) throw new Error(`the stock of ${productId} was not read for this change`);
    return known(productId);
  };
}
