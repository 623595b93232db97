import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { CatalogFileError, loadProducts, PRODUCT_ID, parseProducts } from '../../src/catalog/products.js';

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

  it('takes an id of 1 to 40 letters, digits, - or _ and nothing around them', () => {
    expect(parseProducts([{ ...good, id: 'P_1-x' }])[0]?.id).toBe('P_1-x');
    expect(parseProducts([{ ...good, id: 'x'.repeat(40) }])).toHaveLength(1);
    for (const id of ['', 'x'.repeat(41), 'bad id', ' p-1', 'p-1 ', 'p/1', '../p-1', 'p-1\n']) {
      expect(() => parseProducts([{ ...good, id }]), JSON.stringify(id)).toThrow(/id: must be 1–40 letters/);
    }
    expect(PRODUCT_ID.test('x y')).toBe(false);
  });

  it('labels a product by its id when it has one, by its place when not, and lists every problem', () => {
    expect(() => parseProducts([good, 42])).toThrow(/^products\.json: product #2: \(product\): /);
    expect(() => parseProducts([null])).toThrow(/^products\.json: product #1: /);
    expect(() => parseProducts([{ ...good, id: 5 }])).toThrow(/^products\.json: product #1: id: /);
    expect(() => parseProducts([{ ...good, priceCents: 0, stock: -1 }], 'x.json')).toThrow(
      /^x\.json: product "p-1" \(#1\): priceCents: .+; stock: /,
    );
  });

  it('names a catalog file it cannot read', () => {
    expect(() => loadProducts('data/no-such-file.json')).toThrow(
      /^data\/no-such-file\.json: cannot read the catalog: /,
    );
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

  it('lists each category once, in alphabetical order, and forgets one whose last product is withdrawn', () => {
    const catalog = new Catalog([
      { ...product('a'), category: 'tea' },
      { ...product('b'), category: 'coffee' },
      { ...product('c'), category: 'tea' },
      { ...product('d'), category: 'cups' },
    ]);
    expect(catalog.categories).toEqual(['coffee', 'cups', 'tea']);
    catalog.apply([{ product: { ...product('d'), category: 'cups' }, position: 3, active: false }], 2);
    expect(catalog.categories).toEqual(['coffee', 'tea']);
  });

  it('puts a product back on sale in its featured place, under its slug', () => {
    const catalog = new Catalog([product('a'), product('b'), product('c')]);
    expect(catalog.version).toBe(0);
    catalog.apply([{ product: product('a'), position: 0, active: false }], 2);
    expect(catalog.products.map((p) => p.id)).toEqual(['b', 'c']);
    catalog.apply([{ product: product('a'), position: 5, active: true }], 3);
    expect(catalog.products.map((p) => p.id)).toEqual(['b', 'c', 'a']);
    expect(catalog.findBySlug('a')?.id).toBe('a');
    catalog.replace([{ product: product('z'), position: 0, active: true }]);
    expect(catalog.products.map((p) => p.id)).toEqual(['z']);
    expect(catalog.findById('a')).toBeUndefined();
    expect(catalog.version).toBe(3);
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
