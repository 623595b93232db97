// View models for products: what the catalog, product page and JSON callers see.

import type { Cart, CartLimits } from '../../cart/cart.js';
import { cartMessages } from '../../cart/messages.js';
import { roomFor } from '../../cart/rules.js';
import type { Product } from '../../catalog/products.js';
import type { StockLevels } from '../../catalog/stock.js';

const LOW_STOCK = 5;

export function productView(product: Product, levels: StockLevels) {
  const stock = levels.get(product.id) ?? 0;
  return {
    id: product.id,
    slug: product.slug,
    name: product.name,
    description: product.description,
    category: product.category,
    image: product.image,
    url: `/products/${product.slug}`,
    priceCents: product.priceCents,
    stock,
    inStock: stock > 0,
    lowStock: stock > 0 && stock <= LOW_STOCK,
  };
}

/**
 * The add form's quantity picker: only what fits beside what the cart already holds
 * (the per-product cap, the stock, room for one more product), and a note saying so.
 */
export function addChoices(productId: string, stock: number, cart: Cart, limits: CartLimits) {
  const { inCart, room, full } = roomFor(cart, productId, stock, limits);
  let addNote: string | undefined;
  if (full) addNote = cartMessages.pickerFull(limits.maxLines);
  else if (inCart > 0 && room > 0) addNote = cartMessages.pickerRoom(inCart, room);
  else if (inCart > 0) addNote = cartMessages.pickerAtMost(inCart);
  return { quantities: Array.from({ length: room }, (_, i) => i + 1), addNote, room, inCart };
}
