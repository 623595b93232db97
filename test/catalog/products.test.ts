import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { CatalogFileError, loadProducts, parseProducts } from '../../src/catalog/products.js';

const good = {
  id: 'p-1',
  slug: 'a-thing',
  name: 'A thing',
  description: 'Nice.',
  priceCents: 100,
  category: 'things',
  stock: 1,
  image: '/images/a.svg',
};

describe('data/products.json', () => {
  it('is valid, with at least 24 products in at least 4 categories, and images that exist', async () => {
    const products = loadProducts('data/products.json');
    expect(products.length).toBeGreaterThanOrEqual(24);
    expect(new Catalog(products).categories.length).toBeGreaterThanOrEqual(4);
    const { existsSync } = await import('node:fs');
    for (const p of products) expect(existsSync(`public${p.image}`), p.image).toBe(true);
  });
});

describe('parseProducts', () => {
  it('names the product and the field that is wrong', () => {
    expect(() => parseProducts([good, { ...good, id: 'p-2', slug: 'b', priceCents: 9.99 }])).toThrow(
      /product "p-2" \(#2\): priceCents/,
    );
    expect(() => parseProducts([{ ...good, stock: -1 }])).toThrow(/stock/);
    expect(() => parseProducts([{ ...good, colour: 'red' }])).toThrow(/colour/);
  });

  it('refuses duplicate ids and slugs', () => {
    expect(() => parseProducts([good, { ...good, slug: 'other' }])).toThrow(/id "p-1" is used twice/);
    expect(() => parseProducts([good, { ...good, id: 'p-2' }])).toThrow(CatalogFileError);
  });

  it('refuses a file that is not an array', () => {
    expect(() => parseProducts({ products: [] })).toThrow(/expected an array/);
  });
});

describe('Catalog.search', () => {
  const catalog = new Catalog(
    ['b', 'a', 'c'].map((n, i) => ({
      ...good,
      id: `p-${n}`,
      slug: n,
      name: n.toUpperCase(),
      priceCents: (i + 1) * 100,
    })),
  );

  it('shows the last page when asked for a page past the end', () => {
    const page = catalog.search({ sort: 'name', page: 9, pageSize: 2 });
    expect(page.page).toBe(2);
    expect(page.products.map((p) => p.name)).toEqual(['C']);
  });

  it('keeps the file order for "featured"', () => {
    expect(catalog.search({ sort: 'featured', page: 1, pageSize: 10 }).products.map((p) => p.id)).toEqual([
      'p-b',
      'p-a',
      'p-c',
    ]);
  });
});
