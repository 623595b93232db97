// Orders as JSON callers and the order pages see them, who may see one, and the
// checkout form's values and error summary.
import { orderMessages } from '../../orders/messages.js';
import { orderNumber } from '../../orders/order-number.js';
import type { Order } from '../../orders/orders.js';
import type { ShopSession } from '../../session/state.js';
import { errorsByField, type FieldError } from '../input/validate.js';

// UTC, so a page says the same thing whichever server rendered it.
const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** The JSON contract: the order without its owner's internal id, plus the number a person reads. */
export function orderJson(order: Order) {
  const { userId: _userId, ...rest } = order;
  return { ...rest, number: orderNumber(order.id) };
}

/** The order pages: the same, with the time it was placed written for a person. */
export function orderPageModel(order: Order) {
  return { ...orderJson(order), placedAt: `${dateTime.format(new Date(order.createdAt))} UTC` };
}

/**
 * Every error of a refused checkout, for the summary at the top of the form (each
 * linking to its input) and for each input's own message. An error without an
 * input of its own (the hidden checkout token) is listed without a link.
 */
export function errorSummary(errors: FieldError[], inputs: readonly string[]) {
  return {
    errorHeading: orderMessages.correctTheForm(errors.length),
    errors: errors.map(({ path, label, message }) => ({
      text: `${label}: ${message}`,
      href: inputs.includes(path) ? `#field-${path}` : undefined,
    })),
    fieldErrors: errorsByField(errors),
  };
}

/** What the shopper typed, to show back in the form: text only, never a list or an object. */
export function formValues(body: Record<string, unknown>, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    fields.map((name) => {
      const value = body[name];
      return [name, typeof value === 'string' ? value : ''];
    }),
  );
}

/** GET /checkout right after an order (Back from its confirmation): which order was placed. */
export function placedModel(orderId: string) {
  return { title: 'Order placed — Session Shop', number: orderNumber(orderId), href: `/orders/${orderId}` };
}

/** Lines the checkout does not list because their product has left the catalog. */
export function withdrawnNotice(lines: number): string {
  return orderMessages.withdrawnLines(lines);
}

/** A member's order is theirs alone; a guest's, the session's that placed it (kept across login). */
export function canSeeOrder(session: ShopSession, order: Order): boolean {
  const user = session.user;
  if (order.userId !== null) return user?.id === order.userId;
  return session.guestOrderIds.includes(order.id);
}
