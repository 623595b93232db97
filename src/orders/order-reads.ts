// Reading orders back: one order, a member's history, how many they have and where
// the last one went. Each is one or two queries, whatever the number of orders.
import type { Selectable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { Contact } from './contact.js';
import type { Order } from './orders.js';

type OrderRow = Selectable<Database['orders']>;
type LineRow = Selectable<Database['order_lines']>;

export async function findOrder(db: Db, id: string): Promise<Order | undefined> {
  const row = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const lines = await db.selectFrom('order_lines').selectAll().where('order_id', '=', id).orderBy('position').execute();
  return toOrder(row, lines);
}

/**
 * A slice of a member's orders, newest first; orders placed in the same instant in a fixed
 * order (by id), so a list never reshuffles. Read along the (user_id, created_at, id) index
 * (migration 004), so a member's hundredth page costs about what the first does.
 */
export async function ordersOfUser(db: Db, userId: string, slice: { limit: number; offset: number }): Promise<Order[]> {
  const rows = await db
    .selectFrom('orders')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(slice.limit)
    .offset(slice.offset)
    .execute();
  if (rows.length === 0) return [];
  // The lines of these orders only, in one query: a slice is never longer than a page.
  const lines = await db
    .selectFrom('order_lines')
    .selectAll()
    .where(
      'order_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('order_id')
    .orderBy('position')
    .execute();
  const byOrder = new Map<string, LineRow[]>();
  for (const line of lines) {
    const group = byOrder.get(line.order_id);
    if (group) group.push(line);
    else byOrder.set(line.order_id, [line]);
  }
  return rows.map((row) => toOrder(row, byOrder.get(row.id) ?? []));
}

export async function countOrdersOfUser(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow(); // COUNT answers one row, whatever it counts
  // PostgreSQL answers COUNT as a bigint string, SQLite as a number.
  return Number(row.count);
}

/** Where the member's newest order went: one row, no lines. */
export async function lastContactOfUser(db: Db, userId: string): Promise<Contact | undefined> {
  const row = await db
    .selectFrom('orders')
    .select(['name', 'email', 'address', 'city', 'postal_code', 'country'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? contactOf(row) : undefined;
}

function contactOf(row: Pick<OrderRow, 'name' | 'email' | 'address' | 'city' | 'postal_code' | 'country'>): Contact {
  return {
    name: row.name,
    email: row.email,
    address: row.address,
    city: row.city,
    postalCode: row.postal_code,
    country: row.country,
  };
}

function toOrder(row: OrderRow, lines: LineRow[]): Order {
  return {
    id: row.id,
    userId: row.user_id,
    contact: contactOf(row),
    lines: lines.map((l) => ({
      productId: l.product_id,
      name: l.name,
      unitPriceCents: l.unit_price_cents,
      quantity: l.quantity,
      lineTotalCents: l.line_total_cents,
    })),
    subtotalCents: row.subtotal_cents,
    shippingCents: row.shipping_cents,
    totalCents: row.total_cents,
    createdAt: row.created_at,
  };
}
