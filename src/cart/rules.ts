// Pure cart rules: add, set, remove. Each returns a new cart or throws a
// CartRefusal saying why — a request is refused whole, never silently clamped.
import type { Availability, Cart, CartLimits } from './types.js';
import { quantityOf } from './types.js';

export type RefusalReason = 'unknown-product' | 'out-of-stock' | 'over-stock' | 'over-line-limit' | 'cart-full';

export class CartRefusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

type Context = { limits: CartLimits; availability: Availability };

/** Adds `quantity` more of a product (a new line, or on top of the existing one). */
export function addItem(cart: Cart, productId: string, quantity: number, ctx: Context): Cart {
  const current = quantityOf(cart, productId);
  if (current === 0 && cart.lines.length >= ctx.limits.maxLines) {
    throw new CartRefusal('cart-full', `Your cart already holds ${ctx.limits.maxLines} different products`);
  }
  return setItem(cart, productId, current + quantity, ctx);
}

/** Sets a line to exactly `quantity`; 0 removes it. */
export function setItem(cart: Cart, productId: string, quantity: number, ctx: Context): Cart {
  if (quantity === 0) return removeItem(cart, productId);
  checkQuantity(productId, quantity, ctx);
  const exists = cart.lines.some((l) => l.productId === productId);
  if (!exists && cart.lines.length >= ctx.limits.maxLines) {
    throw new CartRefusal('cart-full', `Your cart already holds ${ctx.limits.maxLines} different products`);
  }
  const lines = exists
    ? cart.lines.map((l) => (l.productId === productId ? { productId, quantity } : l))
    : [...cart.lines, { productId, quantity }];
  return { lines };
}

export function removeItem(cart: Cart, productId: string): Cart {
  return { lines: cart.lines.filter((l) => l.productId !== productId) };
}

function checkQuantity(productId: string, quantity: number, { limits, availability }: Context) {
  const product = availability(productId);
  if (product === undefined) {
    throw new CartRefusal('unknown-product', `No product with id "${productId}"`);
  }
  if (product.stock === 0) {
    throw new CartRefusal('out-of-stock', 'Sorry, this product is sold out');
  }
  if (quantity > limits.maxPerLine) {
    throw new CartRefusal('over-line-limit', `At most ${limits.maxPerLine} of one product per order`);
  }
  if (quantity > product.stock) {
    throw new CartRefusal('over-stock', `Only ${product.stock} left in stock`);
  }
}
