// View models for products: what the catalog, product page and JSON callers see.
import type { Cart, CartLimits } from '../cart/types.js';
import { quantityOf } from '../cart/types.js';
import type { Product } from '../catalog/products.js';
import type { StockLevels } from '../catalog/stock.js';

const LOW_STOCK = 5;

export type ProductView = ReturnType<typeof productView>;

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
  const inCart = quantityOf(cart, productId);
  const full = inCart === 0 && cart.lines.length >= limits.maxLines;
  const room = full ? 0 : Math.max(0, Math.min(stock, limits.maxPerLine) - inCart);
  let addNote: string | undefined;
  if (full) addNote = `Your cart holds ${limits.maxLines} different products, the most it can: remove one to add this.`;
  else if (inCart > 0 && room > 0) addNote = `You have ${inCart} in your cart; you can add ${room} more.`;
  else if (inCart > 0) addNote = `You have ${inCart} in your cart, the most you can order.`;
  return { quantities: Array.from({ length: room }, (_, i) => i + 1), addNote, room, inCart };
}
