// Orders as JSON callers and the order pages see them.
import type { Order } from '../orders/orders.js';

// UTC, so a page says the same thing whichever server rendered it.
const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** The JSON contract: the order without its owner's internal id. */
export function orderJson(order: Order) {
  const { userId: _userId, ...rest } = order;
  return rest;
}

/** The order pages: the same, with the time it was placed written for a person. */
export function orderPageModel(order: Order) {
  return { ...orderJson(order), placedAt: `${dateTime.format(new Date(order.createdAt))} UTC` };
}
