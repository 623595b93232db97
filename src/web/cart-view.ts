// The cart as JSON callers and the cart page see it: priced lines, count, subtotal.
import type { PricedCart } from '../cart/pricing.js';
import type { StockLevels } from '../catalog/stock.js';
import { totalsFor } from '../orders/totals.js';

/** The JSON contract: { lines: [{ productId, slug, name, quantity, unitPriceCents, lineTotalCents }], count, subtotalCents }. */
export function cartJson(cart: PricedCart) {
  return {
    lines: cart.lines.map(({ productId, slug, name, quantity, unitPriceCents, lineTotalCents }) => ({
      productId,
      slug,
      name,
      quantity,
      unitPriceCents,
      lineTotalCents,
    })),
    count: cart.count,
    subtotalCents: cart.subtotalCents,
  };
}

/** The cart page: each line with the quantities it may be set to and a stock warning. */
export function cartPageModel(cart: PricedCart, levels: StockLevels, maxPerLine: number) {
  const lines = cart.lines.map((line) => {
    const stock = levels.get(line.productId) ?? 0;
    const most = Math.max(Math.min(stock, maxPerLine), line.quantity);
    return {
      ...line,
      url: `/products/${line.slug}`,
      options: Array.from({ length: most }, (_, i) => ({ value: i + 1, selected: i + 1 === line.quantity })),
      shortage: line.quantity > stock ? (stock === 0 ? 'Sold out' : `Only ${stock} left`) : undefined,
    };
  });
  return { lines, count: cart.count, empty: lines.length === 0, ...totalsFor(cart.subtotalCents) };
}
