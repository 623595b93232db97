// Catalog: browsing, search and product pages. Sorting and page size come from
// the shopper's session preferences unless the URL asks for something else.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Services } from '../services.js';
import { SORTS } from '../session/data.js';
import { HttpError } from '../web/http-error.js';
import { wantsJson } from '../web/negotiate.js';
import { parseInput } from '../web/parse-input.js';
import { capitalize, prefsChoices } from '../web/prefs-view.js';
import { renderProductPage } from '../web/product-page.js';
import { productView } from '../web/product-view.js';
import { renderCachedPage } from '../web/render.js';

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
      // Links keep the search and the URL's sort; choosing a category starts at page 1.
      const href = (params: { category?: string; page?: number }) => {
        const { category, page } = params;
        const search = new URLSearchParams(compact({ q: query.q, category, sort: query.sort, page: page?.toString() }));
        return search.size > 0 ? `/?${search}` : '/';
      };
      const link = (page: number) => href({ category, page });
      return {
        title: category ? `${capitalize(category)} — Session Shop` : 'Session Shop',
        products: result.products.map((p) => productView(p, shown)),
        total: result.total,
        q: query.q ?? '',
        allHref: href({}),
        categories: catalog.categories.map((c) => ({
          href: href({ category: c }),
          label: capitalize(c),
          selected: c === category,
        })),
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

function compact(params: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1])));
}
