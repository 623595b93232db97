// A logged-in shopper's cart, written through to the database on every change so
// it outlives the session: logout, a restart and a second browser all find it.
import { z } from 'zod';
import type { Cart } from '../cart/cart.js';
import type { Db } from '../db/connect.js';
import { readJsonColumn } from '../db/json-column.js';

const linesSchema = z.array(z.object({ productId: z.string(), quantity: z.number().int().positive() }));

export class SavedCartRepository {
  constructor(private readonly db: Db) {}

  async load(userId: string): Promise<Cart> {
    const row = await this.db
      .selectFrom('saved_carts')
      .select('lines')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return { lines: row ? readJsonColumn(linesSchema, row.lines, []) : [] };
  }

  /**
   * Undoes a save(userId, written): the saved cart goes back to `previous`, unless it
   * no longer holds `written` (another browser of the member's saved it since).
   */
  async putBack(userId: string, written: Cart, previous: Cart): Promise<void> {
    await this.db
      .updateTable('saved_carts')
      .set({ lines: JSON.stringify(previous.lines), updated_at: new Date().toISOString() })
      .where('user_id', '=', userId)
      .where('lines', '=', JSON.stringify(written.lines))
      .execute();
  }

  async save(userId: string, cart: Cart): Promise<void> {
    const lines = JSON.stringify(cart.lines);
    const updatedAt = new Date().toISOString();
    await this.db
      .insertInto('saved_carts')
      .values({ user_id: userId, lines, updated_at: updatedAt })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ lines, updated_at: updatedAt }))
      .execute();
  }
}
