// Catalog: browsing, search and product pages. Sorting and page size come from
// the shopper's session preferences unless the URL asks for something else.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { catalogMessages } from '../catalog/messages.js';
import type { Services } from '../services.js';
import { SORTS } from '../session/data.js';
import { HttpError } from '../web/http/http-error.js';
import { wantsJson } from '../web/http/negotiate.js';
import { parseInput } from '../web/input/parse-input.js';
import { renderProductPage } from '../web/render/product-page.js';
import { renderCachedPage, renderPage } from '../web/render/render.js';
import { catalogModel, noCategoryModel } from '../web/views/catalog-view.js';
import { pageOf, urlWithout } from '../web/views/pagination-view.js';
import { productView } from '../web/views/product-view.js';

/** An empty field of the price form means "no bound", as if it were not sent. */
const cents = (label: string) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number(`must be a ${label} in cents, like 1500 for $15.00`)
      .int(`must be a whole number of cents, like 1500 for $15.00`)
      .min(0, 'must be 0 or more')
      .max(100_000_000, 'must be at most 100000000 ($1,000,000)')
      .optional(),
  );

const catalogQuery = z
  .object({
    q: z.string().trim().max(100, 'must be at most 100 characters').optional(),
    category: z.string().max(40).optional(),
    sort: z.enum(SORTS).optional(),
    minPriceCents: cents('lowest price'),
    maxPriceCents: cents('highest price'),
  })
  .refine((v) => v.minPriceCents === undefined || v.maxPriceCents === undefined || v.minPriceCents <= v.maxPriceCents, {
    path: ['maxPriceCents'],
    message: 'must not be below minPriceCents',
  });

export type CatalogParams = z.infer<typeof catalogQuery>;

/** The price form's boxes: dollars, as a shopper types them ("15", "15.50"); empty is no bound. */
const dollars = (label: string) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .trim()
      .regex(/^\d{1,7}(\.\d{1,2})?$/, `must be a ${label} in dollars, like 15 or 15.50`)
      .optional(),
  );
const priceForm = z.object({ minPrice: dollars('lowest price'), maxPrice: dollars('highest price') });

/**
 * The URL the price form's answer stands for: its dollars as the catalog's own
 * minPriceCents/maxPriceCents, so every link and the page cache know one URL per view.
 */
function priceFormTarget(req: Request): string | undefined {
  if (req.query.minPrice === undefined && req.query.maxPrice === undefined) return undefined;
  const { minPrice, maxPrice } = parseInput(priceForm, req.query);
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(req.query)) {
    if (typeof value === 'string' && value !== '' && !/^(min|max)Price(Cents)?$/.test(name)) params.set(name, value);
  }
  if (minPrice !== undefined) params.set('minPriceCents', String(Math.round(Number(minPrice) * 100)));
  if (maxPrice !== undefined) params.set('maxPriceCents', String(Math.round(Number(maxPrice) * 100)));
  const search = params.toString();
  return search ? `/?${search}` : '/';
}

/** Past it a page number is read as this one: past the end the search shows its last page anyway. */
const MAX_PAGE = 10_000;

export function catalogRoutes(services: Services) {
  const { catalog, search, stock, pages } = services;
  return Router().get('/', listProducts).get('/products/:slug', showProduct);

  // GET / — the catalog: ?q= text search, ?category=, ?minPriceCents=, ?maxPriceCents=, ?sort=, ?page=
  async function listProducts(req: Request, res: Response) {
    const target = priceFormTarget(req);
    if (target !== undefined) return res.redirect(303, target);
    const page = pageOf(req.query.page, MAX_PAGE);
    if (page === 'invalid') return res.redirect(302, urlWithout(req, 'page'));
    const query = parseInput(catalogQuery, req.query);
    const asked = query.category || undefined;
    // `Tea` is `tea`: a shopper types the label the chip shows.
    const category = asked && catalog.categories.find((c) => c.toLowerCase() === asked.toLowerCase());
    if (asked !== undefined && category === undefined) return unknownCategory(req, res, asked);
    const prefs = req.shopSession.prefs;
    const sort = query.sort ?? prefs.sort;
    const { minPriceCents, maxPriceCents } = query;
    const result = await search.search({
      q: query.q,
      category,
      minPriceCents,
      maxPriceCents,
      sort,
      page: page ?? 1,
      pageSize: prefs.pageSize,
    });
    // Only this page's products: a sale elsewhere changes neither this read nor this page's cache key.
    const levels = await stock.levelsOf(result.products.map((p) => p.id));
    if (wantsJson(req)) {
      const products = result.products.map((p) => productView(p, levels));
      const { total, page, pageCount, facets, searchedFor } = result;
      res.json({ products, total, page, pageCount, facets, searchedFor, minPriceCents, maxPriceCents, sort, prefs });
      return;
    }
    // Everything that shapes this page but the shell: the URL (query), the display
    // preferences, the catalog as imported, and the stock of the products shown.
    const shown = result.products.map((p) => levels.get(p.id) ?? 0).join(',');
    const key = `${req.originalUrl}|${sort}|${prefs.pageSize}|${prefs.view}|catalog ${catalog.version}|stock ${shown}`;
    const model = () =>
      catalogModel({
        req,
        query: { ...query, category: category || undefined },
        result,
        levels,
        prefs,
        sort,
        categories: catalog.categories,
      });
    await renderCachedPage(req, res, pages, { view: 'catalog', key, model });
  }

  /** A category the catalog does not have: a 404 page offering the ones it has. */
  function unknownCategory(req: Request, res: Response, asked: string) {
    const names = catalog.categories;
    if (wantsJson(req)) {
      throw new HttpError(404, catalogMessages.noCategory(asked, names));
    }
    res.status(404);
    renderPage(req, res, 'no-category', noCategoryModel(asked, names));
  }

  // GET /products/:slug — one product; remembered in "recently viewed"
  async function showProduct(req: Request, res: Response) {
    const product = catalog.findBySlug(String(req.params.slug));
    if (product === undefined) throw new HttpError(404, catalogMessages.noProduct);
    req.shopSession.viewed(product.id);
    await renderProductPage(services, req, res, product);
  }
}
