// Pure cart rules: add, set, remove. Each returns a new cart or throws a
// CartRefusal saying why — a request is refused whole, never silently clamped.

import type { Availability, Cart, CartLimits } from './cart.js';
import { quantityOf } from './cart.js';
import { cartMessages } from './messages.js';

export type RefusalReason =
  | 'unknown-product'
  | 'not-in-cart'
  | 'out-of-stock'
  | 'over-stock'
  | 'over-line-limit'
  | 'cart-full';

export class CartRefusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    /** For a refused quantity: how many are in the cart already and how many more would fit. */
    readonly fit?: { inCart: number; room: number },
  ) {
    super(message);
  }
}

export type RuleContext = { limits: CartLimits; availability: Availability };

/**
 * How many more of one product the cart may take: the per-line cap and the stock, less
 * what it holds already; none when it is `full` (the product would need a new line and
 * there is no room for one). `boundBy`: which of the two sets the line's most. Every
 * piece of cart-limit arithmetic asks here: the refusals below, the login merge, the
 * product page's picker and the cart page's quantity menus.
 */
export function roomFor(cart: Cart, productId: string, stock: number, limits: CartLimits) {
  const inCart = quantityOf(cart, productId);
  const full = inCart === 0 && cart.lines.length >= limits.maxLines;
  const room = full ? 0 : Math.max(0, Math.min(stock, limits.maxPerLine) - inCart);
  const boundBy: 'stock' | 'line-limit' = stock < limits.maxPerLine ? 'stock' : 'line-limit';
  return { inCart, room, full, boundBy };
}

/** Adds `quantity` more of a product (a new line, or on top of the existing one). */
export function addItem(cart: Cart, productId: string, quantity: number, ctx: RuleContext): Cart {
  const current = quantityOf(cart, productId);
  checkLine(cart, productId, current + quantity, ctx);
  return withLine(cart, productId, current + quantity);
}

/**
 * Sets a line to exactly `quantity`; 0 removes it. Only a line that is in the cart: a
 * stale tab setting a line removed since must not bring it back (adding is addItem).
 */
export function setItem(cart: Cart, productId: string, quantity: number, ctx: RuleContext): Cart {
  if (quantity === 0) return removeItem(cart, productId);
  if (quantityOf(cart, productId) === 0) {
    // An id that names no product is bad input; a real product is a line removed since.
    if (ctx.availability(productId) === undefined) throw unknownProduct(productId);
    throw new CartRefusal('not-in-cart', cartMessages.notInCart);
  }
  checkLine(cart, productId, quantity, ctx);
  return withLine(cart, productId, quantity);
}

export function removeItem(cart: Cart, productId: string): Cart {
  return { lines: cart.lines.filter((l) => l.productId !== productId) };
}

const unknownProduct = (productId: string) =>
  new CartRefusal('unknown-product', cartMessages.unknownProduct(productId));

function withLine(cart: Cart, productId: string, quantity: number): Cart {
  const exists = cart.lines.some((l) => l.productId === productId);
  const lines = exists
    ? cart.lines.map((l) => (l.productId === productId ? { productId, quantity } : l))
    : [...cart.lines, { productId, quantity }];
  return { lines };
}

/**
 * The one check both adding and setting go through, in one order, so the two
 * always give the same answer: does the product exist, is any left, is there
 * room for a new line, then the per-line cap and the stock.
 */
function checkLine(cart: Cart, productId: string, quantity: number, { limits, availability }: RuleContext) {
  const product = availability(productId);
  if (product === undefined) throw unknownProduct(productId);
  if (product.stock === 0) {
    throw new CartRefusal('out-of-stock', cartMessages.soldOut);
  }
  const { inCart, room, full } = roomFor(cart, productId, product.stock, limits);
  if (full) {
    throw new CartRefusal('cart-full', cartMessages.cartFull(limits.maxLines));
  }
  const fit = { inCart, room };
  if (quantity > limits.maxPerLine) {
    throw new CartRefusal('over-line-limit', cartMessages.overLineLimit(limits.maxPerLine), fit);
  }
  if (quantity > product.stock) {
    throw new CartRefusal('over-stock', cartMessages.overStock(product.stock), fit);
  }
}
