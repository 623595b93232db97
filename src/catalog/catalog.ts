// The product catalog in memory: lookups, category filter, text search, sorting
// and pagination. Prices come from here on every read; stock comes from the database.
import type { Prefs } from './prefs.js';
import type { Product } from './products.js';
import { queryWords, relevance } from './search.js';

export type CatalogQuery = {
  q?: string;
  category?: string;
  sort: Prefs['sort'];
  page: number;
  pageSize: number;
};

export type CatalogPage = {
  products: Product[];
  total: number;
  page: number;
  pageCount: number;
};

const byName = (a: Product, b: Product) => a.name.localeCompare(b.name);

const SORTERS: Record<Prefs['sort'], ((a: Product, b: Product) => number) | undefined> = {
  featured: undefined, // the order of data/products.json
  'price-asc': (a, b) => a.priceCents - b.priceCents || byName(a, b),
  'price-desc': (a, b) => b.priceCents - a.priceCents || byName(a, b),
  name: byName,
};

export class Catalog {
  private readonly byId: Map<string, Product>;
  private readonly bySlug: Map<string, Product>;
  readonly categories: string[];

  constructor(readonly products: readonly Product[]) {
    this.byId = new Map(products.map((p) => [p.id, p]));
    this.bySlug = new Map(products.map((p) => [p.slug, p]));
    this.categories = [...new Set(products.map((p) => p.category))].sort();
  }

  findById(id: string): Product | undefined {
    return this.byId.get(id);
  }

  findBySlug(slug: string): Product | undefined {
    return this.bySlug.get(slug);
  }

  /**
   * A page past the end shows the last page rather than nothing. With a query and the
   * featured order, the best matches come first (catalog/search.ts); a sort the shopper
   * chose (price, name) is kept as chosen.
   */
  search(query: CatalogQuery): CatalogPage {
    const words = queryWords(query.q);
    const scored = this.products
      .filter((p) => !query.category || p.category === query.category)
      .map((product) => ({ product, score: words ? relevance(product, words) : 1 }))
      .filter((s) => s.score > 0);
    const sorter = SORTERS[query.sort];
    if (sorter) scored.sort((a, b) => sorter(a.product, b.product));
    else if (words) scored.sort((a, b) => b.score - a.score); // stable: ties keep the featured order
    const sorted = scored.map((s) => s.product);
    const pageCount = Math.max(1, Math.ceil(sorted.length / query.pageSize));
    const page = Math.min(query.page, pageCount);
    const start = (page - 1) * query.pageSize;
    return { products: sorted.slice(start, start + query.pageSize), total: sorted.length, page, pageCount };
  }
}
