// Current stock per product, kept in the database (seeded by the catalog import)
// so that checkouts on any instance see and change the same numbers. Cart rules and
// checkout read it fresh; catalog pages read the levels of their own products only;
// the product page reads a copy at most DISPLAY_MAX_AGE_MS old (see displayLevels).
import { CompiledQuery } from 'kysely';
import type { Availability } from '../cart/types.js';
import type { Db } from '../db/connect.js';
import type { Catalog } from './catalog.js';

export type StockLevels = ReadonlyMap<string, number>;

/** How stale the stock a page shows may be: another instance's sale shows within this. */
export const DISPLAY_MAX_AGE_MS = 2_000;

/** Levels for display, and a version that changes whenever they do (a cache key). */
export type DisplayedStock = { levels: StockLevels; version: number };

const SEED_BATCH = 1_000;

export class StockRepository {
  // Built and compiled once, not per call: one product's level is read on every cart change.
  private readonly levelsQuery;
  private readonly levelSql: string;
  private displayed: (DisplayedStock & { readAt: number }) | undefined;

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

  /**
   * The levels as pages show them: read again once they are DISPLAY_MAX_AGE_MS old,
   * or at once after a change made here (invalidate). The version moves only when
   * a read finds different levels, so cached pages stay valid while nothing sells.
   */
  async displayLevels(now = Date.now()): Promise<DisplayedStock> {
    const current = this.displayed;
    if (current !== undefined && now - current.readAt < DISPLAY_MAX_AGE_MS) return current;
    const levels = await this.levels();
    const same = current !== undefined && sameLevels(current.levels, levels);
    const version = current === undefined ? 0 : same ? current.version : current.version + 1;
    this.displayed = { levels: same && current ? current.levels : levels, version, readAt: now };
    return this.displayed;
  }

  /** A sale or a restock happened here: the next page shows it at once. */
  invalidate(): void {
    if (this.displayed !== undefined) this.displayed.readAt = Number.NEGATIVE_INFINITY;
  }

  async set(productId: string, quantity: number): Promise<void> {
    await this.db.updateTable('stock').set({ quantity }).where('product_id', '=', productId).execute();
    this.invalidate();
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

function sameLevels(a: StockLevels, b: StockLevels): boolean {
  if (a.size !== b.size) return false;
  for (const [id, quantity] of a) if (b.get(id) !== quantity) return false;
  return true;
}
