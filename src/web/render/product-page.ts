// The product page: one product, its stock, a quantity picker and the recently viewed
// list. The catalog routes show it; the cart routes show it again beside a refused add.
import type { Request, Response } from 'express';
import type { Catalog } from '../../catalog/catalog.js';
import type { Product } from '../../catalog/products.js';
import type { StockRepository } from '../../catalog/stock.js';
import { wantsJson } from '../http/negotiate.js';
import { addChoices, productView } from '../views/product-view.js';
import type { PageCache } from './page-cache.js';
import { renderCachedPage, renderPage } from './render.js';

/** What the page reads; the app's Services fit it as they are. */
export type ProductPageSources = {
  catalog: Catalog;
  stock: StockRepository;
  pages: PageCache;
  config: { cartLimits: { maxPerLine: number; maxLines: number } };
};

export async function renderProductPage(
  { catalog, stock, config, pages }: ProductPageSources,
  req: Request,
  res: Response,
  product: Product,
  error?: string,
) {
  const recentIds = req.shopSession.recentlyViewed.filter((id) => id !== product.id);
  // The stock of the products on this page only, read now.
  const levels = await stock.levelsOf([product.id, ...recentIds]);
  const view = productView(product, levels);
  const recent = () =>
    recentIds
      .map((id) => catalog.findById(id))
      .filter((p): p is Product => p !== undefined)
      .map((p) => productView(p, levels));
  if (wantsJson(req)) {
    res.json({ product: view, recentlyViewed: recent() });
    return;
  }
  const choices = addChoices(product.id, view.stock, req.shopSession.cart, config.cartLimits);
  const model = () => ({
    title: `${product.name} — Session Shop`,
    description: product.description,
    product: view,
    quantities: choices.quantities,
    addNote: choices.addNote,
    recentlyViewed: recent(),
    error,
    returnTo: view.url,
  });
  // A refusal's message is for this shopper only: that page is rendered as usual.
  if (error !== undefined) return renderPage(req, res, 'product', model());
  // Everything that shapes the page but the shell: the product as imported, the recently
  // viewed list, the stock of the products shown, and what the shopper's cart leaves room for.
  const fit = `${choices.inCart}/${choices.room}`;
  const shown = [product.id, ...recentIds].map((id) => levels.get(id) ?? 0).join(',');
  const key = `${product.id}|catalog ${catalog.version}|recent ${recentIds.join(',')}|stock ${shown}|fit ${fit}`;
  await renderCachedPage(req, res, pages, { view: 'product', key, model });
}
