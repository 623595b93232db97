import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { type CatalogQuery, CatalogSearch } from '../../src/catalog/catalog-search.js';
import { CatalogSync } from '../../src/catalog/catalog-sync.js';
import { ProductRepository } from '../../src/catalog/product-store.js';
import { loadProducts } from '../../src/catalog/products.js';
import { hasWordStarting, similarity, trigrams, wordsOf } from '../../src/catalog/search.js';
import { ENGINES, type OpenedDb } from './engines.js';

const products = loadProducts('data/products.json');

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`CatalogSearch on ${engine.name}`, () => {
    let opened: OpenedDb;
    let search: CatalogSearch;
    const catalog = new Catalog();

    beforeAll(async () => {
      opened = await engine.open();
      const repository = new ProductRepository(opened.db);
      await new CatalogSync(repository, catalog).start(() => products);
      search = new CatalogSearch(opened.db, catalog, repository);
    });
    afterAll(async () => opened?.close());

    const find = (q: string | undefined, more: Partial<CatalogQuery> = {}) =>
      search.search({ q, sort: 'featured', page: 1, pageSize: 48, ...more });
    const names = async (q: string, more: Partial<CatalogQuery> = {}) =>
      (await find(q, more)).products.map((p) => p.name);

    it('ranks name matches before description matches', async () => {
      const found = await names('tea');
      const inName = found.filter((n) => /\btea\b/i.test(n));
      expect(inName.length).toBeGreaterThan(0);
      expect(found.slice(0, inName.length)).toEqual(inName);
      expect(found.length).toBeGreaterThan(inName.length); // "Black tea scented…" and others follow
    });

    it('matches whole words or their beginnings, never the middle of a word', async () => {
      expect(await names('tea')).not.toContain('House Espresso Blend 1 kg'); // "steamed milk"
      expect(await names('bean')).toContain('Ethiopia Yirgacheffe Beans 250 g');
      expect(await names('yirga')).toEqual(['Ethiopia Yirgacheffe Beans 250 g']); // as you type
    });

    it('ranks a whole word before a word that only begins with it', async () => {
      // "grind" is a whole word of "Cold Brew Coarse Grind" and only begins "Burr Hand Grinder".
      expect(await names('grind')).toEqual(['Cold Brew Coarse Grind 500 g', 'Burr Hand Grinder']);
      // "grinder" finds only the grinder; "chai" is whole in the chai's name, "tea" only in its description.
      expect(await names('grinder')).toEqual(['Burr Hand Grinder']);
      const tea = await names('tea');
      expect(tea.indexOf('Masala Chai Loose Leaf 150 g')).toBeGreaterThan(0);
      expect((await names('chai'))[0]).toBe('Masala Chai Loose Leaf 150 g');
    });

    it('still needs every word of the query', async () => {
      expect(await names('ethiopia beans')).toEqual(['Ethiopia Yirgacheffe Beans 250 g']);
      expect(await names('ethiopia tea')).toEqual([]);
    });

    it('ignores case and accents', async () => {
      expect(await names('ETHIOPÍA')).toEqual(['Ethiopia Yirgacheffe Beans 250 g']);
      expect((await find('ETHIOPÍA')).corrected).toBe(false);
    });

    it('corrects a word nothing begins with to the nearest catalog word, and says so', async () => {
      for (const [typed, meant, finds] of [
        ['cofee', 'coffee', 'House Espresso Blend 1 kg'],
        ['expreso', 'espresso', 'Terracotta Espresso Cups Set of 2'],
        ['grindr', 'grind', 'Burr Hand Grinder'],
      ] as const) {
        const result = await find(typed);
        expect(result.searchedFor, typed).toBe(meant);
        expect(result.corrected).toBe(true);
        expect(
          result.products.map((p) => p.name),
          typed,
        ).toContain(finds);
      }
      // Only the word nothing begins with is replaced.
      expect((await find('ethiopa beans')).searchedFor).toBe('ethiopia beans');
      expect((await find('zebra')).total).toBe(0);
      expect((await find('coffee')).corrected).toBe(false);
    });

    it('keeps a sort the shopper chose', async () => {
      const found = (await find('tea', { sort: 'price-asc' })).products;
      const prices = found.map((p) => p.priceCents);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
    });

    it('counts each category for the query, adding up to the total', async () => {
      const result = await find('tea');
      const sum = result.facets.categories.reduce((s, c) => s + c.count, 0);
      expect(sum).toBe(result.total);
      const inTea = result.facets.categories.find((c) => c.name === 'tea')?.count;
      expect((await find('tea', { category: 'tea' })).total).toBe(inTea);
    });

    it('keeps only prices inside the range', async () => {
      const result = await find(undefined, { minPriceCents: 1000, maxPriceCents: 2000 });
      expect(result.total).toBeGreaterThan(0);
      expect(result.total).toBeLessThan(products.length);
      expect(result.products.every((p) => p.priceCents >= 1000 && p.priceCents <= 2000)).toBe(true);
      const inside = products.filter((p) => p.priceCents >= 1000 && p.priceCents <= 2000);
      expect(result.total).toBe(inside.length);
    });

    it('finds nothing for a query of punctuation alone, and everything for none', async () => {
      expect(await names('%%%')).toEqual([]);
      expect((await find(undefined)).total).toBe(products.length);
      expect((await find('  ')).total).toBe(products.length);
    });

    it('sorts and pages every order without repeating or skipping a product', async () => {
      for (const sort of ['featured', 'price-asc', 'price-desc', 'name'] as const) {
        const pages = await Promise.all([1, 2, 3].map((page) => find(undefined, { sort, page, pageSize: 12 })));
        const ids = pages.flatMap((p) => p.products.map((x) => x.id));
        expect(new Set(ids).size, sort).toBe(products.length);
      }
      const byName = (await find(undefined, { sort: 'name' })).products.map((p) => p.name);
      expect(byName).toEqual([...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('shows the last page when asked for a page past the end, and keeps the file order for "featured"', async () => {
      const page = await find(undefined, { page: 99, pageSize: 12 });
      expect(page.page).toBe(Math.ceil(products.length / 12));
      const featured = (await find(undefined)).products.map((p) => p.id);
      expect(featured).toEqual(products.map((p) => p.id));
    });
  });
}

describe('hasWordStarting', () => {
  const words = ['apple', 'banana', 'blueberry', 'cherry', 'date', 'fig', 'grape'];

  it('finds a word beginning with the prefix wherever it sits in the sorted list', () => {
    for (const prefix of ['ap', 'apple', 'ban', 'blue', 'b', 'ch', 'd', 'fi', 'grape', 'gr']) {
      expect(hasWordStarting(words, prefix), prefix).toBe(true);
    }
  });

  it('finds none for a prefix that falls between words, before the first or after the last', () => {
    for (const prefix of ['aa', 'bz', 'ca', 'e', 'zebra', 'grapes', 'applesauce']) {
      expect(hasWordStarting(words, prefix), prefix).toBe(false);
    }
    expect(hasWordStarting([], 'a')).toBe(false);
  });
});

describe('similarity and wordsOf', () => {
  it('is 1 for one word, 0 for nothing shared, and 0 (not NaN) for two empty sets', () => {
    expect(similarity(trigrams('coffee'), trigrams('coffee'))).toBe(1);
    expect(similarity(trigrams('tea'), trigrams('xyz'))).toBe(0);
    expect(similarity(new Set(), new Set())).toBe(0);
  });

  it('splits on every run of characters that are not letters or digits', () => {
    expect(wordsOf('Café--Crème,  150 g!')).toEqual(['cafe', 'creme', '150', 'g']);
  });
});
