// Login merge: the guest's cart folded into the shopper's saved cart.
// Quantities of a shared product are summed, then capped; nothing changes without
// a line in the report, so the shopper can be told exactly what happened.

import type { Availability, Cart, CartLimits, CartLine } from './cart.js';
import { roomFor } from './rules.js';

export type MergeReport = {
  added: { productId: string; quantity: number }[];
  adjusted: { productId: string; requested: number; kept: number; reason: 'line-limit' | 'stock' }[];
  dropped: { productId: string; reason: 'unavailable' | 'out-of-stock' | 'cart-full' }[];
};

export type MergeResult = { cart: Cart; report: MergeReport };

export const emptyReport = (): MergeReport => ({ added: [], adjusted: [], dropped: [] });

export function mergeCarts(saved: Cart, guest: Cart, limits: CartLimits, availability: Availability): MergeResult {
  // A product listed twice (a stored cart is data, not a promise) counts as one line.
  const savedQuantities = quantitiesByProduct(saved);
  const guestQuantities = quantitiesByProduct(guest);
  // Saved lines keep their place; products new to the saved cart follow in the guest's order.
  const productIds = new Set([...savedQuantities.keys(), ...guestQuantities.keys()]);

  const lines: CartLine[] = [];
  const report = emptyReport();
  for (const productId of productIds) {
    const savedQuantity = savedQuantities.get(productId) ?? 0;
    const fromGuest = guestQuantities.get(productId) ?? 0;
    const requested = savedQuantity + fromGuest;
    const product = availability(productId);
    if (product === undefined) {
      report.dropped.push({ productId, reason: 'unavailable' });
      continue;
    }
    if (product.stock === 0) {
      report.dropped.push({ productId, reason: 'out-of-stock' });
      continue;
    }
    // The merged cart so far holds no line of this product: its room is the whole line's.
    const { room, full, boundBy } = roomFor({ lines }, productId, product.stock, limits);
    if (full) {
      report.dropped.push({ productId, reason: 'cart-full' });
      continue;
    }
    const kept = Math.min(requested, room);
    lines.push({ productId, quantity: kept });
    if (kept < requested) {
      report.adjusted.push({ productId, requested, kept, reason: boundBy });
    } else if (fromGuest > 0) {
      report.added.push({ productId, quantity: fromGuest });
    }
  }
  return { cart: { lines }, report };
}

/** Quantity per product, in the order products first appear. */
function quantitiesByProduct(cart: Cart): Map<string, number> {
  const sums = new Map<string, number>();
  for (const { productId, quantity } of cart.lines) sums.set(productId, (sums.get(productId) ?? 0) + quantity);
  return sums;
}
