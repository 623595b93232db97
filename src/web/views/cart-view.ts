// The cart as JSON callers, the cart page and the header badge see it. All three
// show the one summary priceCart() makes (cart/pricing.ts): nothing here adds up.
import type { Request } from 'express';
import type { CartLimits } from '../../cart/cart.js';
import { cartMessages } from '../../cart/messages.js';
import type { PricedCart } from '../../cart/pricing.js';
import { type CartRefusal, removeItem, roomFor } from '../../cart/rules.js';
import type { StockLevels } from '../../catalog/stock.js';
import { LiveCarts } from '../../session/live-carts.js';
import { formatMoney } from './views.js';

/**
 * The JSON contract: { lines: [{ productId, slug, name, quantity, unitPriceCents, lineTotalCents }],
 * count, subtotalCents, shippingCents, totalCents }, and beside each amount the same figure as
 * people read it ("$29.00", shipping "Free"), formatted here so that a page updating itself
 * (public/js/shop.js) shows exactly what the server renders.
 */
export function cartJson(cart: PricedCart) {
  return {
    lines: cart.lines.map(({ productId, slug, name, quantity, unitPriceCents, lineTotalCents }) => ({
      productId,
      slug,
      name,
      quantity,
      unitPriceCents,
      lineTotalCents,
      unitPrice: formatMoney(unitPriceCents),
      lineTotal: formatMoney(lineTotalCents),
    })),
    count: cart.count,
    subtotalCents: cart.subtotalCents,
    shippingCents: cart.shippingCents,
    totalCents: cart.totalCents,
    subtotal: formatMoney(cart.subtotalCents),
    shipping: cart.shippingCents === 0 ? 'Free' : formatMoney(cart.shippingCents),
    total: formatMoney(cart.totalCents),
  };
}

/** The cart page: each line with the quantities it may be set to and a stock warning. */
export function cartPageModel(cart: PricedCart, levels: StockLevels, limits: CartLimits) {
  const lines = cart.lines.map((line) => {
    const stock = levels.get(line.productId) ?? 0;
    // Only quantities the line may be set to — the room for it in the cart without it —
    // and the one it holds now even when the stock has fallen below it (so the picker
    // shows the truth beside its warning).
    const { room } = roomFor(removeItem(cart, line.productId), line.productId, stock, limits);
    const fits = Array.from({ length: room }, (_, i) => i + 1);
    const values = fits.includes(line.quantity) ? fits : [...fits, line.quantity];
    return {
      ...line,
      url: `/products/${line.slug}`,
      options: values.map((value) => ({ value, selected: value === line.quantity })),
      shortage: line.quantity > stock ? cartMessages.shortage(stock) : undefined,
    };
  });
  const { count, subtotalCents, shippingCents, totalCents } = cart;
  return { lines, empty: lines.length === 0, count, subtotalCents, shippingCents, totalCents };
}

/**
 * The shopper's cart summary for the layout (the header badge on every page). Routes
 * hold the catalog through their services, but the layout is rendered from the request
 * alone, so createApp() puts the app's LiveCarts in app.locals.carts for it.
 */
export function cartSummaryFor(req: Request): PricedCart {
  const carts: unknown = req.app.locals.carts;
  if (!(carts instanceof LiveCarts)) throw new Error('app.locals.carts is not set: createApp() must set it');
  return carts.price(req.shopSession.cart);
}

/**
 * A refused quantity, told with what the cart already holds: "At most 10 of one
 * product per order. You have 8 of Ethiopia Guji in your cart; you can add 2 more."
 */
export function refusalMessage(refusal: CartRefusal, productName: string): string {
  const fit = refusal.fit;
  if (fit === undefined || fit.inCart === 0) return refusal.message;
  return cartMessages.refusedBeside(refusal.message, fit.inCart, fit.room, productName);
}
