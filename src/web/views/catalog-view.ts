// The catalog page's view model: the products, the category chips with their counts,
// the price form, the "showing results for" line and the page links. Every link keeps
// the search, the price range and the URL's sort; choosing a category starts at page 1.
import type { Request } from 'express';
import type { CatalogPage } from '../../catalog/catalog-search.js';
import type { Prefs } from '../../catalog/prefs.js';
import type { StockLevels } from '../../catalog/stock.js';
import { paginationModel } from './pagination-view.js';
import { capitalize, prefsChoices } from './prefs-view.js';
import { productView } from './product-view.js';

type Filters = {
  q?: string;
  category?: string;
  sort?: Prefs['sort'];
  minPriceCents?: number;
  maxPriceCents?: number;
};

export type CatalogPageSources = {
  req: Request;
  query: Filters;
  result: CatalogPage;
  levels: StockLevels;
  prefs: Prefs;
  sort: Prefs['sort'];
  categories: readonly string[];
};

export function catalogModel({ req, query, result, levels, prefs, sort, categories }: CatalogPageSources) {
  const { category } = query;
  const href = (params: { category?: string; page?: number }) => {
    const search = new URLSearchParams(
      compact({
        q: query.q,
        category: params.category,
        minPriceCents: query.minPriceCents?.toString(),
        maxPriceCents: query.maxPriceCents?.toString(),
        sort: query.sort,
        page: params.page?.toString(),
      }),
    );
    return search.size > 0 ? `/?${search}` : '/';
  };
  const link = (page: number) => href({ category, page });
  const counts = new Map(result.facets.categories.map((c) => [c.name, c.count]));
  const everywhere = result.facets.categories.reduce((sum, c) => sum + c.count, 0);
  return {
    title: category ? `${capitalize(category)} — Session Shop` : 'Session Shop',
    // Only a category changes what the page is about; a search or a page number does not.
    description: category
      ? `${capitalize(category)} at Session Shop: every product of the category, with its price and stock.`
      : undefined,
    products: result.products.map((p) => productView(p, levels)),
    total: result.total,
    q: query.q ?? '',
    searchedFor: result.corrected ? result.searchedFor : undefined,
    allHref: href({}),
    allCount: everywhere,
    categories: categories.map((c) => ({
      href: href({ category: c }),
      label: capitalize(c),
      count: counts.get(c) ?? 0,
      selected: c === category,
    })),
    category,
    price: {
      min: dollarsOf(query.minPriceCents),
      max: dollarsOf(query.maxPriceCents),
      // The form sends these along, so filtering by price keeps the rest of the view.
      keep: Object.entries(compact({ q: query.q, category, sort: query.sort })).map(([name, value]) => ({
        name,
        value,
      })),
    },
    choices: prefsChoices(prefs, sort),
    listView: prefs.view === 'list',
    pagination: paginationModel(result.page, result.pageCount, link),
    returnTo: req.originalUrl,
  };
}

/** The 404 page for a category the catalog does not have: the ones it has, as links. */
export function noCategoryModel(asked: string, categories: readonly string[]) {
  return {
    title: 'No such category — Session Shop',
    asked,
    categories: categories.map((c) => ({ href: `/?${new URLSearchParams({ category: c })}`, label: capitalize(c) })),
  };
}

function compact(params: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1])));
}

/** Cents as the price form's box shows them: 1500 → "15", 1550 → "15.50"; none → empty. */
function dollarsOf(cents: number | undefined): string {
  if (cents === undefined) return '';
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
}
