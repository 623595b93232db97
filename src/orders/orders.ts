// Orders: written in one transaction with the stock decrement, so stock is never
// oversold, and keyed by a one-time checkout token, so a retry never orders twice.

import { totalsFor } from '../cart/shipping.js';
import { isUniqueViolation, retryOnConflict } from '../db/conflicts.js';
import type { Db } from '../db/connect.js';
import type { Contact } from './contact.js';
import { newOrderId } from './order-number.js';
import { countOrdersOfUser, findOrder, lastContactOfUser, ordersOfUser } from './order-reads.js';

export type { Contact } from './contact.js';
export type OrderLine = {
  productId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
};
export type Order = {
  id: string;
  userId: string | null;
  contact: Contact;
  lines: OrderLine[];
  subtotalCents: number;
  shippingCents: number;
  totalCents: number;
  createdAt: string;
};

export type PlaceOrder = {
  checkoutToken: string;
  userId: string | null;
  contact: Contact;
  lines: Omit<OrderLine, 'lineTotalCents'>[];
};

/** Thrown when a line wants more than is left; nothing was written. */
export class OutOfStockError extends Error {
  constructor(readonly shortages: { productId: string; requested: number; available: number }[]) {
    super('Some items are no longer available in the quantity you wanted');
  }
}

export type OrderPage = { orders: Order[]; total: number; page: number; pageCount: number };

export class OrderRepository {
  /** `now` is the clock orders are stamped with; tests pass their own to place orders in one instant. */
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Places the order, or returns the one already placed with this token. */
  async place(input: PlaceOrder): Promise<{ order: Order; created: boolean }> {
    // Callers pass a priced cart; these would be bugs, and a negative quantity would add stock.
    if (input.lines.length === 0) throw new Error('An order needs at least one line');
    if (!input.lines.every((l) => Number.isInteger(l.quantity) && l.quantity > 0)) {
      throw new Error('An order line needs a whole quantity of at least 1');
    }
    try {
      return await retryOnConflict(() => this.placeOnce(input));
    } catch (err) {
      // Two transactions with one token racing (PostgreSQL): the unique index lets one
      // win; the other finds its order once it has rolled back. Only that error is
      // looked into: anything else, or a unique violation with no winner, is news.
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.findByToken(input.checkoutToken);
      if (winner) return { order: winner, created: false };
      throw err;
    }
  }

  private placeOnce(input: PlaceOrder): Promise<{ order: Order; created: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('orders')
        .select('id')
        .where('checkout_token', '=', input.checkoutToken)
        .executeTakeFirst();
      if (existing) return { order: await this.mustFind(existing.id, trx), created: false };

      const shortages = await takeStock(trx, input.lines);
      if (shortages.length > 0) throw new OutOfStockError(shortages); // rolls the decrements back

      const lines = input.lines.map((l) => ({ ...l, lineTotalCents: l.unitPriceCents * l.quantity }));
      const totals = totalsFor(lines.reduce((sum, l) => sum + l.lineTotalCents, 0));
      const order: Order = {
        id: newOrderId(),
        userId: input.userId,
        contact: input.contact,
        lines,
        ...totals,
        createdAt: this.now().toISOString(),
      };
      await trx
        .insertInto('orders')
        .values({
          id: order.id,
          user_id: order.userId,
          checkout_token: input.checkoutToken,
          name: order.contact.name,
          email: order.contact.email,
          address: order.contact.address,
          city: order.contact.city,
          postal_code: order.contact.postalCode,
          country: order.contact.country,
          subtotal_cents: order.subtotalCents,
          shipping_cents: order.shippingCents,
          total_cents: order.totalCents,
          created_at: order.createdAt,
        })
        .execute();
      await trx
        .insertInto('order_lines')
        .values(
          lines.map((l, position) => ({
            order_id: order.id,
            position,
            product_id: l.productId,
            name: l.name,
            unit_price_cents: l.unitPriceCents,
            quantity: l.quantity,
            line_total_cents: l.lineTotalCents,
          })),
        )
        .execute();
      return { order, created: true };
    });
  }

  find(id: string, db: Db = this.db): Promise<Order | undefined> {
    return findOrder(db, id);
  }

  async findByToken(token: string): Promise<Order | undefined> {
    const row = await this.db.selectFrom('orders').select('id').where('checkout_token', '=', token).executeTakeFirst();
    return row ? this.find(row.id) : undefined;
  }

  /**
   * One page of a member's orders, newest first, with their lines: three queries however
   * many orders there are. A page past the end shows the last page rather than nothing.
   */
  async pageForUser(userId: string, page: number, pageSize: number): Promise<OrderPage> {
    const total = await countOrdersOfUser(this.db, userId);
    const pageCount = Math.max(1, Math.ceil(total / pageSize));
    const shown = Math.min(page, pageCount);
    const orders = await ordersOfUser(this.db, userId, { limit: pageSize, offset: (shown - 1) * pageSize });
    return { orders, total, page: shown, pageCount };
  }

  countForUser(userId: string): Promise<number> {
    return countOrdersOfUser(this.db, userId);
  }

  /** Where the member's last order went, to fill in the next checkout. */
  lastContactForUser(userId: string): Promise<Contact | undefined> {
    return lastContactOfUser(this.db, userId);
  }

  private async mustFind(id: string, db: Db): Promise<Order> {
    const order = await this.find(id, db);
    if (!order) throw new Error(`order ${id} vanished`);
    return order;
  }
}

/**
 * Decrements the stock of every line, or reports the lines that do not fit (in cart
 * order). Rows are updated, and so locked, in one order for everyone, by product id:
 * two carts holding the same products in opposite order then queue instead of deadlocking.
 */
async function takeStock(trx: Db, lines: PlaceOrder['lines']): Promise<OutOfStockError['shortages']> {
  const byProduct = lines.map((line, index) => ({ line, index }));
  byProduct.sort((x, y) => {
    if (x.line.productId < y.line.productId) return -1;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: V8's sort asks only whether an answer is below 0, so no test can tell this 1 from 0
    return x.line.productId > y.line.productId ? 1 : 0;
  });
  const shortages: (OutOfStockError['shortages'][number] & { index: number })[] = [];
  for (const { line, index } of byProduct) {
    // The condition makes the decrement atomic: it never takes stock below zero.
    const result = await trx
      .updateTable('stock')
      .set((eb) => ({ quantity: eb('quantity', '-', line.quantity) }))
      .where('product_id', '=', line.productId)
      .where('quantity', '>=', line.quantity)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      const row = await trx
        .selectFrom('stock')
        .select('quantity')
        .where('product_id', '=', line.productId)
        .executeTakeFirst();
      shortages.push({ index, productId: line.productId, requested: line.quantity, available: row?.quantity ?? 0 });
    }
  }
  return shortages.sort((x, y) => x.index - y.index).map(({ index: _index, ...shortage }) => shortage);
}
