// Browsing and search, run by the database: which products a query, category and
// price range find, in which order, which page of them, and how many per category.
// Rows come back as IDs only (read from an index); the products themselves come
// from the in-memory catalog. Results are kept per catalog version, so a page seen
// before costs no query until the next import.
import { BoundedMap } from '../bounded-map.js';
import { type Db, engineOf } from '../db/connect.js';
import type { Catalog } from './catalog.js';
import type { Prefs } from './prefs.js';
import type { ProductRepository } from './product-store.js';
import type { Product } from './products.js';
import { hasWordStarting, queryWords, SIMILARITY_THRESHOLD, similarity, trigrams } from './search.js';
import { matchesAll, nearestWordQuery, relevance } from './text-match.js';

export type CatalogQuery = {
  q?: string;
  category?: string;
  minPriceCents?: number;
  maxPriceCents?: number;
  sort: Prefs['sort'];
  page: number;
  pageSize: number;
};

export type CategoryCount = { name: string; count: number };

export type CatalogPage = {
  products: Product[];
  total: number;
  page: number;
  pageCount: number;
  /** Per category, for the query and price range but whatever the category: they add up to the total without one. */
  facets: { categories: CategoryCount[] };
  /** The words searched for, after correcting misspellings; undefined without a query. */
  searchedFor?: string;
  /** True when searchedFor differs from what the shopper typed. */
  corrected: boolean;
};

type Filter = { words?: string[]; minPriceCents?: number; maxPriceCents?: number };

const KEPT = 2_000;

export class CatalogSearch {
  private readonly engine;
  private readonly counts = new BoundedMap<string, CategoryCount[]>(KEPT);
  private readonly pages = new BoundedMap<string, string[]>(KEPT);
  private readonly corrections = new BoundedMap<string, string>(KEPT);
  private words: { version: number; sorted: Promise<string[]> } | undefined;

  constructor(
    private readonly db: Db,
    private readonly catalog: Catalog,
    private readonly products: ProductRepository,
  ) {
    this.engine = engineOf(db);
  }

  /** A page past the end shows the last page rather than nothing. */
  async search(query: CatalogQuery): Promise<CatalogPage> {
    const typed = queryWords(query.q);
    const words = typed === undefined ? undefined : await Promise.all(typed.map((w) => this.correct(w)));
    const filter: Filter = { words, minPriceCents: query.minPriceCents, maxPriceCents: query.maxPriceCents };
    const searchedFor = words?.join(' ');
    const corrected = words?.some((w, i) => w !== typed?.[i]) ?? false;
    if (words?.length === 0) {
      // A query of punctuation alone finds nothing.
      return { products: [], total: 0, page: 1, pageCount: 1, facets: { categories: [] }, searchedFor, corrected };
    }
    // Asked together: on PostgreSQL the two run side by side on two connections. The page
    // asked for is nearly always there; one past the end is asked again for the last page.
    const [categories, asked] = await Promise.all([this.countsFor(filter), this.idsFor(filter, query, query.page)]);
    const total = categories.reduce((sum, c) => sum + (!query.category || c.name === query.category ? c.count : 0), 0);
    const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
    const page = Math.min(query.page, pageCount);
    const ids = page === query.page ? asked : await this.idsFor(filter, query, page);
    const products = ids.map((id) => this.catalog.findById(id)).filter((p): p is Product => p !== undefined);
    return { products, total, page, pageCount, facets: { categories }, searchedFor, corrected };
  }

  private key(...parts: unknown[]): string {
    return JSON.stringify([this.catalog.version, ...parts]);
  }

  private async countsFor(filter: Filter): Promise<CategoryCount[]> {
    const key = this.key(filter);
    const kept = this.counts.get(key);
    if (kept !== undefined) return kept;
    const rows = await this.filtered(filter)
      .select(['p.category', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('p.category')
      .orderBy('p.category')
      .execute();
    // PostgreSQL's count() is a bigint, which node-postgres hands over as a string.
    const counts = rows.map((r) => ({ name: r.category, count: Number(r.n) }));
    this.counts.set(key, counts);
    return counts;
  }

  private async idsFor(filter: Filter, query: CatalogQuery, page: number): Promise<string[]> {
    const { category, sort, pageSize } = query;
    const key = this.key(filter, category, sort, page, pageSize);
    const kept = this.pages.get(key);
    if (kept !== undefined) return kept;
    let select = this.filtered(filter).select('p.id');
    if (category) select = select.where('p.category', '=', category);
    const { words } = filter;
    if (sort === 'price-asc') select = select.orderBy('p.price_cents').orderBy('p.name').orderBy('p.id');
    else if (sort === 'price-desc') select = select.orderBy('p.price_cents', 'desc').orderBy('p.name').orderBy('p.id');
    else if (sort === 'name') select = select.orderBy('p.name').orderBy('p.id');
    else if (words) select = select.orderBy(relevance(this.engine, words), 'desc').orderBy('p.position');
    else select = select.orderBy('p.position');
    const rows = await select
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const ids = rows.map((r) => r.id);
    this.pages.set(key, ids);
    return ids;
  }

  private filtered({ words, minPriceCents, maxPriceCents }: Filter) {
    let select = this.db.selectFrom('products as p').where('p.active', '=', 1);
    if (minPriceCents !== undefined) select = select.where('p.price_cents', '>=', minPriceCents);
    if (maxPriceCents !== undefined) select = select.where('p.price_cents', '<=', maxPriceCents);
    if (words !== undefined && words.length > 0) select = select.where(matchesAll(this.engine, words));
    return select;
  }

  /** A word no catalog word begins with becomes the most similar catalog word, if one is near enough. */
  private async correct(word: string): Promise<string> {
    const sorted = await this.catalogWords();
    if (hasWordStarting(sorted, word)) return word;
    const key = this.key(word);
    const kept = this.corrections.get(key);
    if (kept !== undefined) return kept;
    const nearest =
      this.engine === 'postgres'
        ? (await nearestWordQuery(word).execute(this.db)).rows[0]?.word
        : nearestIn(sorted, word);
    this.corrections.set(key, nearest ?? word);
    return nearest ?? word;
  }

  private catalogWords(): Promise<string[]> {
    const version = this.catalog.version;
    if (this.words?.version !== version) {
      const sorted = this.products.words();
      sorted.catch(() => {
        this.words = undefined; // asked again next time, not a rejection kept until the next import
      });
      this.words = { version, sorted };
    }
    return this.words.sorted;
  }
}

/** pg_trgm's `%` and similarity() over the word list, for SQLite. */
function nearestIn(words: readonly string[], word: string): string | undefined {
  const grams = trigrams(word);
  let best: { word: string; score: number } | undefined;
  for (const candidate of words) {
    const score = similarity(grams, trigrams(candidate));
    if (score >= SIMILARITY_THRESHOLD && (best === undefined || score > best.score)) best = { word: candidate, score };
  }
  return best?.word;
}
