// Prices a cart from the catalog at read time. The session never stores a price,
// so a price change reaches every cart on its next read.
import type { Cart } from './types.js';

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

export type PricedCart = { lines: PricedLine[]; count: number; subtotalCents: number };

/** Lines whose product has left the catalog are skipped: they cannot be bought. */
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
    subtotalCents: lines.reduce((sum, l) => sum + l.lineTotalCents, 0),
  };
}
