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

describe('Catalog', () => {
  const product = (id: string, name = id.toUpperCase()) => ({ ...good, id, slug: id, name });

  it('keeps the file order, and forgets a withdrawn product by ID and by slug', () => {
    const catalog = new Catalog([product('b'), product('a'), product('c')]);
    expect(catalog.products.map((p) => p.id)).toEqual(['b', 'a', 'c']);
    catalog.apply([{ product: product('a'), position: 1, active: false }], 2);
    expect(catalog.findById('a')).toBeUndefined();
    expect(catalog.findBySlug('a')).toBeUndefined();
    expect(catalog.products.map((p) => p.id)).toEqual(['b', 'c']);
    expect(catalog.version).toBe(2);
  });

  it('moves a slug that another product took in the same change', () => {
    const catalog = new Catalog([product('a'), product('b')]);
    catalog.apply(
      [
        { product: { ...product('b'), slug: 'a' }, position: 1, active: true },
        { product: { ...product('a'), slug: 'z' }, position: 0, active: true },
      ],
      2,
    );
    expect(catalog.findBySlug('a')?.id).toBe('b');
    expect(catalog.findBySlug('z')?.id).toBe('a');
  });
});
