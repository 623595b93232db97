import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.js';
import { CatalogSync } from '../../src/catalog/catalog-sync.js';
import { ProductRepository } from '../../src/catalog/product-store.js';
import { loadProducts, type Product } from '../../src/catalog/products.js';
import { StockRepository } from '../../src/catalog/stock.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrations.js';
import type { Database } from '../../src/db/schema.js';
import { ENGINES, type OpenedDb } from './engines.js';

const file = loadProducts('data/products.json');

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`ProductRepository.import on ${engine.name}`, () => {
    let opened: OpenedDb;
    let repository: ProductRepository;

    beforeAll(async () => {
      opened = await engine.open();
      repository = new ProductRepository(opened.db);
    });
    afterAll(async () => opened?.close());

    it('seeds an empty database with the file, its stock included', async () => {
      const catalog = new Catalog();
      const summary = await new CatalogSync(repository, catalog).start(() => file);
      expect(summary).toMatchObject({ version: 1, added: file.length, changed: 0, withdrawn: 0 });
      expect(catalog.products.map((p) => p.id)).toEqual(file.map((p) => p.id));
      const stock = new StockRepository(opened.db);
      expect(await stock.levelOf('p-001')).toBe(file[0]?.stock);
      // A database that holds a catalog is not seeded again.
      expect(await new CatalogSync(repository, new Catalog()).start(() => [])).toBeUndefined();
    });

    it('writes only what changed, withdraws what the file left out, and keeps the stock', async () => {
      const stock = new StockRepository(opened.db);
      await stock.set('p-002', 1);
      const [first, second, ...rest] = file;
      if (!first || !second) throw new Error('fixture products missing');
      const newcomer: Product = { ...first, id: 'p-new', slug: 'brand-new', name: 'Brand New Kettle', stock: 4 };
      const next = [{ ...first, priceCents: first.priceCents + 100 }, ...rest, newcomer];
      const summary = await repository.import(next);
      expect(summary).toMatchObject({ version: 2, added: 1, withdrawn: 1 });
      expect(summary.changed).toBe(1 + rest.length); // the price, and every product after the one left out moved up
      expect(await stock.levelOf('p-002')).toBe(1);
      expect(await stock.levelOf('p-new')).toBe(4);
      // Withdrawn, not deleted: the row is still there for orders and saved carts to name.
      const row = await opened.db.selectFrom('products').selectAll().where('id', '=', second.id).executeTakeFirst();
      expect(row?.active).toBe(0);
      expect(await repository.import(next)).toMatchObject({ version: 2, added: 0, changed: 0, withdrawn: 0 });
    });

    it('lets a running catalog catch up with only what changed since its version', async () => {
      const catalog = new Catalog();
      const sync = new CatalogSync(repository, catalog);
      await sync.start(() => []);
      const before = catalog.version;
      const withBack = loadProducts('data/products.json'); // p-002 back on sale, the newcomer withdrawn
      await repository.import(withBack);
      expect(catalog.findById('p-002')).toBeUndefined();
      await sync.check();
      expect(catalog.version).toBe(before + 1);
      expect(catalog.findById('p-002')?.name).toBe(withBack[1]?.name);
      expect(catalog.findById('p-new')).toBeUndefined();
      expect(catalog.findBySlug('brand-new')).toBeUndefined();
      expect(catalog.products).toHaveLength(withBack.length);
    });

    it('checks the version at most once a second on requests', async () => {
      const sync = new CatalogSync(repository, new Catalog());
      await sync.start(() => []);
      const now = Date.now();
      expect(sync.fresh(now)).toBeUndefined();
      const checking = sync.fresh(now + 1_000);
      expect(checking).toBeInstanceOf(Promise);
      expect(sync.fresh(now + 1_001)).toBe(checking); // shared while it runs
      await checking;
      expect(sync.fresh(now + 1_002)).toBeUndefined();
    });
  });
}

describe('CatalogSync when the database does not answer', () => {
  it('keeps the catalog as it was and reports the error', async () => {
    const db = await openDatabase(':memory:');
    const catalog = new Catalog();
    const sync = new CatalogSync(new ProductRepository(db), catalog);
    await sync.start(() => file);
    const errors: unknown[] = [];
    sync.onError = (err) => errors.push(err);
    await db.destroy();
    await sync.fresh(Date.now() + 60_000);
    expect(errors).toHaveLength(1);
    expect(catalog.products).toHaveLength(file.length);
  });
});

describe('a database from before the catalog lived in it', () => {
  it('takes the catalog file at its first start and keeps the stock it had', async () => {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new Sqlite(':memory:') }) });
    await migrate(db as Kysely<unknown>, 'sqlite', '002_username_key');
    await db.insertInto('stock').values({ product_id: 'p-001', quantity: 3 }).execute();
    await migrate(db as Kysely<unknown>, 'sqlite');
    const catalog = new Catalog();
    await new CatalogSync(new ProductRepository(db), catalog).start(() => file);
    expect(catalog.products).toHaveLength(file.length);
    const stock = new StockRepository(db);
    expect(await stock.levelOf('p-001')).toBe(3);
    expect(await stock.levelOf('p-002')).toBe(file[1]?.stock);
    await db.destroy();
  });
});
