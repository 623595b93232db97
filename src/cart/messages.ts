// Everything a shopper reads about their cart: why a change was refused, what a change
// did, the notes beside a quantity picker, and what the login merge did to the cart.
// The wording lives here alone; the rules, the pages and the routes only choose which.
import type { MergeReport } from './merge.js';

export const cartMessages = {
  // Refusals (cart/rules.ts)
  unknownProduct: (productId: string) => `No product with id "${productId}"`,
  notInCart: 'That item is no longer in your cart.',
  soldOut: 'Sorry, this product is sold out',
  cartFull: (maxLines: number) => `Your cart already holds ${maxLines} different products`,
  overLineLimit: (maxPerLine: number) => `At most ${maxPerLine} of one product per order`,
  overStock: (stock: number) => `Only ${stock} left in stock`,
  /** A refused quantity, told with what the cart already holds. */
  refusedBeside: (refusal: string, inCart: number, room: number, name: string) =>
    `${refusal}. You have ${inCart} of ${name} in your cart; ${room === 0 ? 'you cannot add more' : `you can add ${room} more`}.`,

  // What a change did (routes/cart.ts)
  added: (quantity: number, name: string) => `Added ${quantity} × ${name} to your cart.`,
  removed: 'Removed from your cart.',
  updated: 'Cart updated.',
  emptied: 'Your cart is empty.',

  // The product page's picker and the cart page's lines
  pickerFull: (maxLines: number) =>
    `Your cart holds ${maxLines} different products, the most it can: remove one to add this.`,
  pickerRoom: (inCart: number, room: number) => `You have ${inCart} in your cart; you can add ${room} more.`,
  pickerAtMost: (inCart: number) => `You have ${inCart} in your cart, the most you can order.`,
  shortage: (stock: number) => (stock === 0 ? 'Sold out' : `Only ${stock} left`),

  // The login merge's report (web/views/merge-messages.ts)
  mergeAdded: (quantity: number, name: string) => `Added ${quantity} × ${name} from your guest cart.`,
  mergeAdjusted: (name: string, requested: number, kept: number, reason: MergeReport['adjusted'][number]['reason']) =>
    `${name}: you wanted ${requested}, your cart now has ${kept} (${reason === 'stock' ? 'all we have in stock' : 'the most per order'}).`,
  mergeDropped: (name: string, reason: MergeReport['dropped'][number]['reason']) =>
    `Removed ${name}: ${DROP_REASONS[reason]}.`,
};

const DROP_REASONS: Record<MergeReport['dropped'][number]['reason'], string> = {
  unavailable: 'it is no longer sold',
  'out-of-stock': 'it is sold out',
  'cart-full': 'your cart is full',
};
