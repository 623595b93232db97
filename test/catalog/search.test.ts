import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { loadProducts } from '../../src/catalog/products.js';
import { queryWords, relevance } from '../../src/catalog/search.js';

const catalog = new Catalog(loadProducts('data/products.json'));
const names = (q: string, sort: 'featured' | 'price-asc' = 'featured') =>
  catalog.search({ q, sort, page: 1, pageSize: 48 }).products.map((p) => p.name);

describe('Catalog.search with a query', () => {
  it('ranks name matches before description matches', () => {
    const found = names('tea');
    const inName = found.filter((n) => /\btea\b/i.test(n));
    expect(inName.length).toBeGreaterThan(0);
    expect(found.slice(0, inName.length)).toEqual(inName);
    expect(found.length).toBeGreaterThan(inName.length); // "Black tea scented…" and others follow
  });

  it('matches whole words or their beginnings, never the middle of a word', () => {
    expect(names('tea')).not.toContain('House Espresso Blend 1 kg'); // "steamed milk"
    expect(names('bean')).toContain('Ethiopia Yirgacheffe Beans 250 g');
    expect(names('eam')).toEqual([]);
  });

  it('ranks a whole word before a word that only begins with it', () => {
    const product = catalog.findById('p-013'); // "Masala Chai", "Assam black tea…"
    const beans = catalog.findById('p-001');
    if (!product || !beans) throw new Error('fixture products missing');
    expect(relevance(beans, ['beans'])).toBeGreaterThan(relevance(beans, ['bean']));
    expect(relevance(product, ['chai'])).toBeGreaterThan(relevance(product, ['tea']));
  });

  it('still needs every word of the query', () => {
    expect(names('ethiopia beans')).toEqual(['Ethiopia Yirgacheffe Beans 250 g']);
    expect(names('ethiopia tea')).toEqual([]);
  });

  it('keeps a sort the shopper chose', () => {
    const found = catalog.search({ q: 'tea', sort: 'price-asc', page: 1, pageSize: 48 }).products;
    const prices = found.map((p) => p.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it('finds nothing for a query of punctuation alone, and everything for none', () => {
    expect(queryWords('  ')).toBeUndefined();
    expect(names('%%%')).toEqual([]);
    expect(catalog.search({ sort: 'featured', page: 1, pageSize: 48 }).total).toBe(catalog.products.length);
  });
});
