// What src/server.ts does before it listens, for tests that start several
// instances at once on one database: open (and migrate), seed stock, seed demo accounts.
import { seedDemoAccounts } from '../../src/accounts/demo.js';
import { Catalog } from '../../src/catalog/catalog.js';
import { loadProducts } from '../../src/catalog/products.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connect.js';
import { createServices } from '../../src/services.js';
import { TEST_SECRET } from '../helpers/shop.js';

export async function startInstance(databaseUrl: string) {
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: TEST_SECRET });
  const db = await openDatabase(databaseUrl);
  try {
    const services = await createServices(config, new Catalog(loadProducts('data/products.json')), db);
    await seedDemoAccounts(services.users);
    return services;
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

export type Instance = Awaited<ReturnType<typeof startInstance>>;

/** Starts `count` instances at once; every one must come up. */
export async function startTogether(databaseUrl: string, count: number): Promise<Instance[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startInstance(databaseUrl)));
  const up = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
  if (failed.length > 0) {
    await Promise.all(up.map((i) => i.db.destroy()));
    throw new AggregateError(
      failed,
      `${failed.length} of ${count} instances failed to start: ${failed.map(String).join('; ')}`,
    );
  }
  return up;
}
