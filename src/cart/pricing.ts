// Prices a cart from the catalog at read time and sums it up: the one cart summary
// (count, subtotal, shipping, total) that the cart page, the header badge and every
// cart JSON show. The session never stores a price or a total, so a price change
// reaches every cart on its next read, and no two places can add up differently.

import type { Cart } from './cart.js';
import { totalsFor } from './shipping.js';

export type PricedProduct = { id: string; slug: string; name: string; priceCents: number; image: string };

export type PricedLine = {
  productId: string;
  slug: string;
  name: string;
  image: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
};

export type PricedCart = {
  lines: PricedLine[];
  /** Units on priced lines only: what the shopper can see on the cart page and buy. */
  count: number;
  subtotalCents: number;
  shippingCents: number;
  totalCents: number;
};

/**
 * Lines whose product has left the catalog are skipped, and not counted either: they
 * cannot be shown with a price or bought, so a badge that counted them would promise
 * items the cart page does not list. They stay in the session, untouched, and come
 * back if the product does.
 */
export function priceCart(cart: Cart, findProduct: (id: string) => PricedProduct | undefined): PricedCart {
  const lines: PricedLine[] = [];
  for (const { productId, quantity } of cart.lines) {
    const product = findProduct(productId);
    if (product === undefined) continue;
    lines.push({
      productId,
      slug: product.slug,
      name: product.name,
      image: product.image,
      quantity,
      unitPriceCents: product.priceCents,
      lineTotalCents: product.priceCents * quantity,
    });
  }
  return {
    lines,
    count: lines.reduce((sum, l) => sum + l.quantity, 0),
    ...totalsFor(lines.reduce((sum, l) => sum + l.lineTotalCents, 0)),
  };
}
