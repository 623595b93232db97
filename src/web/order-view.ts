// Orders as JSON callers and the order pages see them.
import type { Order } from '../orders/orders.js';

export function orderJson(order: Order) {
  const { userId: _userId, ...rest } = order;
  return rest;
}
