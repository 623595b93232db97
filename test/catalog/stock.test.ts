// Stock levels (catalog/stock.ts): what a cart change reads, and what it may ask.
import { beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { loadProducts } from '../../src/catalog/products.js';
import { availabilityOf, StockRepository } from '../../src/catalog/stock.js';
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
