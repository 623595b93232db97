// View models for products: what the catalog, product page and JSON callers see.
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
