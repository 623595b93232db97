// The cart as the session stores it: product ids and quantities, nothing derivable.
// Prices, names and totals are looked up from the catalog on every read.

export type CartLine = { productId: string; quantity: number };
export type Cart = { lines: CartLine[] };

export type CartLimits = {
  /** Most units of one product in one cart. */
  maxPerLine: number;
  /** Most distinct products in one cart. */
  maxLines: number;
};

/** What the rules need to know about a product: does it exist, how many are left. */
export type Availability = (productId: string) => { stock: number } | undefined;

export const emptyCart = (): Cart => ({ lines: [] });

export const quantityOf = (cart: Cart, productId: string): number =>
  cart.lines.find((l) => l.productId === productId)?.quantity ?? 0;
