// The cart as JSON callers, the cart page and the header badge see it. All three
// show the one summary priceCart() makes (cart/pricing.ts): nothing here adds up.
import type { Request } from 'express';
import type { PricedCart } from '../cart/pricing.js';
import type { StockLevels } from '../catalog/stock.js';
import { CartState } from '../session/cart-state.js';

/** The JSON contract: { lines: [{ productId, slug, name, quantity, unitPriceCents, lineTotalCents }], count, subtotalCents, shippingCents, totalCents }. */
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
    shippingCents: cart.shippingCents,
    totalCents: cart.totalCents,
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
  const { count, subtotalCents, shippingCents, totalCents } = cart;
  return { lines, empty: lines.length === 0, count, subtotalCents, shippingCents, totalCents };
}

/**
 * The shopper's cart summary for the layout (the header badge on every page). Routes
 * hold the catalog through their services, but the layout is rendered from the request
 * alone, so createApp() puts the app's CartState in app.locals.carts for it.
 */
export function cartSummaryFor(req: Request): PricedCart {
  const carts: unknown = req.app.locals.carts;
  if (!(carts instanceof CartState)) throw new Error('app.locals.carts is not set: createApp() must set it');
  return carts.price(req.shopSession.cart);
}
