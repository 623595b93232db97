// The product catalog in memory, as last loaded from the database (catalog/catalog-sync.ts):
// lookups by ID and slug, the categories, the featured order. Prices come from here on
// every read; stock comes from the database; search runs in the database (catalog-search.ts).
import type { Product } from './products.js';

export class Catalog {
  private byId = new Map<string, Product>();
  private bySlug = new Map<string, Product>();
  /** Each product's place in the featured order (its place in the file). */
  private positions = new Map<string, number>();
  private ordered: Product[] | undefined;
  categories: string[] = [];
  /** The catalog_version these products were loaded at; 0 before any load. */
  version = 0;

  constructor(products: readonly Product[] = []) {
    this.replace(products.map((product, position) => ({ product, position, active: true })));
  }

  findById(id: string): Product | undefined {
    return this.byId.get(id);
  }

  findBySlug(slug: string): Product | undefined {
    return this.bySlug.get(slug);
  }

  /** The products on sale, in the featured order. Built once per change, not per read. */
  get products(): readonly Product[] {
    if (this.ordered === undefined) {
      const position = (p: Product) => this.positions.get(p.id) ?? 0;
      this.ordered = [...this.byId.values()].sort((a, b) => position(a) - position(b));
    }
    return this.ordered;
  }

  /** Everything anew: a first load, or a database that went back in time. */
  replace(rows: readonly CatalogRow[], version = this.version): void {
    this.byId = new Map();
    this.bySlug = new Map();
    this.positions = new Map();
    this.apply(rows, version);
  }

  /** Rows that changed: new, edited, withdrawn (active false) or back on sale. */
  apply(rows: readonly CatalogRow[], version: number): void {
    for (const { product, position, active } of rows) {
      const old = this.byId.get(product.id);
      // Another product may have taken the old slug in this same change.
      if (old !== undefined && this.bySlug.get(old.slug) === old) this.bySlug.delete(old.slug);
      if (active) {
        this.byId.set(product.id, product);
        this.bySlug.set(product.slug, product);
        this.positions.set(product.id, position);
      } else {
        this.byId.delete(product.id);
        this.positions.delete(product.id);
      }
    }
    this.ordered = undefined;
    this.categories = [...new Set([...this.byId.values()].map((p) => p.category))].sort();
    this.version = version;
  }
}

/** One product as the database holds it. A withdrawn product is gone from every lookup. */
export type CatalogRow = { product: Product; position: number; active: boolean };
