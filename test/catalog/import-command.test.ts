// `npm run catalog:import -- FILE` as an operator runs it: another process, against the
// database a running store uses. The store shows the change without a restart.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadProducts, type Product } from '../../src/catalog/products.js';
import { openDatabase } from '../../src/db/connect.js';
import { cartOf, json, makeShop, type Shop, visitor } from '../helpers/shop.js';
import { ENGINES, type OpenedDb } from './engines.js';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'catalog-import-'));

function runImport(file: string, databaseUrl: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, NODE_ENV: 'test' };
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/import-catalog.ts', file],
      { cwd: ROOT, env },
      (err, out, errOut) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${out}${errOut}` }),
    );
  });
}

function writeCatalog(name: string, products: unknown): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(products));
  return file;
}

for (const engine of ENGINES) {
  describe.skipIf(!engine.available)(`catalog:import into a running store on ${engine.name}`, () => {
    let opened: OpenedDb;
    let shop: Shop;

    beforeAll(async () => {
      if (engine.name === 'SQLite') {
        // Two processes share a file, not :memory:.
        const url = join(dir, 'shop.db');
        const db = await openDatabase(url);
        opened = { db, url, close: () => db.destroy() };
      } else {
        opened = await engine.open();
      }
      shop = await makeShop({ db: opened.db });
    });
    afterAll(async () => opened?.close());

    it('changes a price, adds a product and withdraws one, shown within seconds without a restart', async () => {
      const [first, second, ...rest] = loadProducts('data/products.json');
      if (!first || !second) throw new Error('fixture products missing');
      const kettle: Product = { ...first, id: 'p-900', slug: 'quetzal-kettle', name: 'Quetzal Kettle', stock: 3 };
      const { agent } = await visitor(shop);
      for (const product of [first, second])
        await agent.post('/cart/items').set(json).send({ productId: product.id }).expect(200);
      const file = writeCatalog('next', [{ ...first, priceCents: 1999 }, ...rest, kettle]);
      const run = await runImport(file, opened.url);
      expect(run.out).toMatch(/1 added, \d+ changed, 1 withdrawn/);
      expect(run.code).toBe(0);
      await vi.waitFor(
        async () => {
          const page = await request(shop.app).get(`/products/${first.slug}`).set(json).expect(200);
          expect(page.body.product.priceCents).toBe(1999);
        },
        { timeout: 10_000, interval: 200 },
      );
      await request(shop.app).get(`/products/${second.slug}`).expect(404);
      const found = await request(shop.app).get('/?q=QUETZ').set(json).expect(200);
      expect(found.body.products.map((p: { id: string }) => p.id)).toEqual(['p-900']);
      // A cart holding the withdrawn product drops it, as for any product gone from the catalog,
      // and prices the other at its new price.
      const cart = await cartOf(agent);
      expect(
        cart.lines.map((l: { productId: string; unitPriceCents: number }) => [l.productId, l.unitPriceCents]),
      ).toEqual([[first.id, 1999]]);
      await request(shop.app).post('/cart/items').set(json).send({ productId: second.id }).expect(422);
    });

    it('refuses a broken file with the start-up messages and changes nothing', async () => {
      const before = await opened.db.selectFrom('catalog_version').select('version').executeTakeFirst();
      const run = await runImport(writeCatalog('broken', [{ id: 'p-1', name: 'Half a product' }]), opened.url);
      expect(run.code).toBe(1);
      expect(run.out).toContain('product "p-1" (#1): slug');
      const after = await opened.db.selectFrom('catalog_version').select('version').executeTakeFirst();
      expect(after).toEqual(before);
    });
  });
}
