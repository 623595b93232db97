// Stock levels (catalog/stock.ts): what a cart change reads, and what it may ask.
import { beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { loadProducts } from '../../src/catalog/products.js';
import { availabilityFrom, availabilityOf, StockRepository } from '../../src/catalog/stock.js';
import { openDatabase } from '../../src/db/connect.js';

const catalog = new Catalog(loadProducts('data/products.json'));
let stock: StockRepository;
beforeEach(async () => {
  stock = new StockRepository(await openDatabase(':memory:'));
  await stock.seed(catalog);
});

describe('StockRepository.levelOf', () => {
  it('reads one product’s level as it is now', async () => {
    const seeded = catalog.findById('p-001')?.stock;
    expect(await stock.levelOf('p-001')).toBe(seeded);
    await stock.set('p-001', 3);
    expect(await stock.levelOf('p-001')).toBe(3);
    expect(await stock.levelOf('p-002')).toBe(catalog.findById('p-002')?.stock);
  });

  it('answers 0 for a product it has no stock row for', async () => {
    expect(await stock.levelOf('p-999')).toBe(0);
  });
});

describe('availabilityOf', () => {
  it('answers for the product whose level was read, and refuses to guess about another', () => {
    const availability = availabilityOf(catalog, new Map([['p-001', 4]]));
    expect(availability('p-001')).toEqual({ stock: 4 });
    expect(() => availability('p-002')).toThrow(/not read/);
  });

  it('says a product that has left the catalog is not for sale', () => {
    expect(availabilityOf(catalog, new Map([['p-999', 4]]))('p-999')).toBeUndefined();
  });
});

describe('StockRepository.levelsOf and levels', () => {
  it('reads the levels of the products asked for, and of no other', async () => {
    await stock.set('p-002', 7);
    const levels = await stock.levelsOf(['p-001', 'p-002', 'p-999']);
    expect([...levels.entries()]).toEqual([
      ['p-001', catalog.findById('p-001')?.stock],
      ['p-002', 7],
    ]);
    expect((await stock.levelsOf([])).size).toBe(0);
  });

  it('reads every level at once', async () => {
    await stock.set('p-003', 0);
    const levels = await stock.levels();
    expect(levels.size).toBe(catalog.products.length);
    expect(levels.get('p-003')).toBe(0);
    expect(levels.get('p-001')).toBe(catalog.findById('p-001')?.stock);
  });
});

describe('StockRepository.seed', () => {
  it('adds new products and leaves the stock of known ones as it is', async () => {
    await stock.set('p-001', 2);
    await stock.seed(catalog);
    expect(await stock.levelOf('p-001')).toBe(2);
  });

  it('seeds a catalog larger than one statement may carry, every product once', async () => {
    const first = catalog.products[0];
    if (!first) throw new Error('empty catalog');
    const many = Array.from({ length: 2_345 }, (_, i) => ({ ...first, id: `bulk-${i}`, slug: `bulk-${i}`, stock: i }));
    await stock.seed(new Catalog(many));
    const levels = await stock.levels();
    expect(levels.size).toBe(catalog.products.length + 2_345);
    expect(levels.get('bulk-0')).toBe(0);
    expect(levels.get('bulk-1000')).toBe(1000);
    expect(levels.get('bulk-2344')).toBe(2344);
  });
});

describe('availabilityFrom', () => {
  it('answers the level read for a product on sale, 0 for one without a level, nothing for one not sold', () => {
    const availability = availabilityFrom(catalog, new Map([['p-001', 4]]));
    expect(availability('p-001')).toEqual({ stock: 4 });
    expect(availability('p-002')).toEqual({ stock: 0 });
    expect(availability('p-999')).toBeUndefined();
  });
});
