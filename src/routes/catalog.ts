// Catalog: browsing, search and product pages. Sorting and page size come from
// the shopper's session preferences unless the URL asks for something else.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Product } from '../catalog/products.js';
import type { Services } from '../services.js';
import { SORTS } from '../session/data.js';
import { HttpError } from '../web/http-error.js';
import { wantsJson } from '../web/negotiate.js';
import { parseInput } from '../web/parse-input.js';
import { capitalize, prefsChoices } from '../web/prefs-view.js';
import { productView } from '../web/product-view.js';
import { renderCachedPage, renderPage } from '../web/render.js';

const catalogQuery = z.object({
  q: z.string().trim().max(100, 'must be at most 100 characters').optional(),
  category: z.string().max(40).optional(),
  sort: z.enum(SORTS).optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional(),
});

export function catalogRoutes(services: Services) {
  const { catalog, stock, pages } = services;
  return Router().get('/', listProducts).get('/products/:slug', showProduct);

  // GET / — the catalog: ?q= text search, ?category=, ?sort=, ?page=
  async function listProducts(req: Request, res: Response) {
    const query = parseInput(catalogQuery, req.query);
    const category = query.category || undefined;
    if (category !== undefined && !catalog.categories.includes(category)) {
      throw new HttpError(422, `category: no category called "${category}"`, [
        { path: 'category', message: 'unknown category' },
      ]);
    }
    const prefs = req.shopSession.prefs;
    const sort = query.sort ?? prefs.sort;
    const { levels, version } = await stock.displayLevels();
    const search = () =>
      catalog.search({ q: query.q, category, sort, page: query.page ?? 1, pageSize: prefs.pageSize });
    if (wantsJson(req)) {
      const result = search();
      const products = result.products.map((p) => productView(p, levels));
      res.json({ products, total: result.total, page: result.page, pageCount: result.pageCount, sort, prefs });
      return;
    }
    // Everything that shapes this page but the shell: the URL (query), the display
    // preferences, and the stock as shown (its version changes when a level does).
    const key = `${req.originalUrl}|${sort}|${prefs.pageSize}|${prefs.view}|stock ${version}`;
    await renderCachedPage(req, res, pages, { view: 'catalog', key, model: () => catalogModel(search(), levels) });

    function catalogModel(result: ReturnType<typeof search>, shown: typeof levels) {
      const link = (page: number) =>
        `/?${new URLSearchParams(compact({ q: query.q, category, sort: query.sort, page: String(page) }))}`;
      return {
        title: category ? `${capitalize(category)} — Session Shop` : 'Session Shop',
        products: result.products.map((p) => productView(p, shown)),
        total: result.total,
        q: query.q ?? '',
        categories: catalog.categories.map((c) => ({ name: c, label: capitalize(c), selected: c === category })),
        category,
        choices: prefsChoices(prefs, sort),
        listView: prefs.view === 'list',
        pagination: {
          page: result.page,
          pageCount: result.pageCount,
          prev: result.page > 1 ? link(result.page - 1) : undefined,
          next: result.page < result.pageCount ? link(result.page + 1) : undefined,
          show: result.pageCount > 1,
        },
        returnTo: req.originalUrl,
      };
    }
  }

  // GET /products/:slug — one product; remembered in "recently viewed"
  async function showProduct(req: Request, res: Response) {
    const product = catalog.findBySlug(String(req.params.slug));
    if (product === undefined) throw new HttpError(404, 'We could not find that product. It may have been removed.');
    req.shopSession.viewed(product.id);
    await renderProductPage(services, req, res, product);
  }
}

/** The product page; the cart routes use it too, to show a refused add next to the product. */
export async function renderProductPage(
  { catalog, stock, config, pages }: Services,
  req: Request,
  res: Response,
  product: Product,
  error?: string,
) {
  const { levels, version } = await stock.displayLevels();
  const view = productView(product, levels);
  const recentIds = req.shopSession.recentlyViewed.filter((id) => id !== product.id);
  const recent = () =>
    recentIds
      .map((id) => catalog.findById(id))
      .filter((p): p is Product => p !== undefined)
      .map((p) => productView(p, levels));
  if (wantsJson(req)) {
    res.json({ product: view, recentlyViewed: recent() });
    return;
  }
  const most = Math.min(view.stock, config.cartLimits.maxPerLine);
  const model = () => ({
    title: `${product.name} — Session Shop`,
    product: view,
    quantities: Array.from({ length: most }, (_, i) => i + 1),
    recentlyViewed: recent(),
    error,
    returnTo: view.url,
  });
  // A refusal's message is for this shopper only: that page is rendered as usual.
  if (error !== undefined) return renderPage(req, res, 'product', model());
  // Everything that shapes the page but the shell: the product, the recently viewed
  // list, and the stock as shown.
  const key = `${product.id}|recent ${recentIds.join(',')}|stock ${version}`;
  await renderCachedPage(req, res, pages, { view: 'product', key, model });
}

function compact(params: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1])));
}
