// `npm run catalog:import -- FILE`: checks a catalog file as start-up does (the same
// messages, naming the product and the field), then writes it into the database
// DATABASE_URL names. Running instances show the change within about a second.
import { ProductRepository } from './catalog/product-store.js';
import { loadProducts } from './catalog/products.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/connect.js';
import { databaseLabel } from './db/label.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined || process.argv.length > 3) {
    console.error('Usage: npm run catalog:import -- FILE   (into the database DATABASE_URL names)');
    process.exitCode = 2;
    return;
  }
  const products = loadProducts(file); // throws CatalogFileError, a message for a person
  const config = loadConfig();
  const where = databaseLabel(config.databaseUrl);
  // A big first import is one long transaction.
  const db = await openDatabase(config.databaseUrl, { timeoutMs: 60_000 });
  try {
    const started = Date.now();
    const s = await new ProductRepository(db).import(products);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `Imported ${products.length} products from ${file} into ${where} in ${took} s: ` +
        `${s.added} added, ${s.changed} changed, ${s.withdrawn} withdrawn, ${s.unchanged} unchanged ` +
        `(catalog version ${s.version}).`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
