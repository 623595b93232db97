// Current stock per product, kept in the database (seeded from data/products.json)
// so that checkouts on any instance see and change the same numbers.
import type { Availability } from '../cart/types.js';
import type { Db } from '../db/connect.js';
import type { Catalog } from './catalog.js';

export type StockLevels = ReadonlyMap<string, number>;

export class StockRepository {
  constructor(private readonly db: Db) {}

  /** Adds products that are new to the database; existing stock is left as it is. */
  async seed(catalog: Catalog): Promise<void> {
    if (catalog.products.length === 0) return;
    await this.db
      .insertInto('stock')
      .values(catalog.products.map((p) => ({ product_id: p.id, quantity: p.stock })))
      .onConflict((oc) => oc.column('product_id').doNothing())
      .execute();
  }

  async levels(): Promise<StockLevels> {
    const rows = await this.db.selectFrom('stock').select(['product_id', 'quantity']).execute();
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
