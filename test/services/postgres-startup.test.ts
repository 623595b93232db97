// Several instances starting at once on a fresh PostgreSQL database (a deploy,
// a scale-out): migrations, the stock seed and the demo accounts race, and every
// instance must come up with one copy of each.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/accounts/demo.js';
import { type Instance, startTogether } from '../db/start-instance.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-db.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';

const available = await serviceAvailable('PostgreSQL', POSTGRES_URL);

describe.skipIf(!available)('starting instances together on PostgreSQL', () => {
  let testDb: TestDatabase | undefined;
  let instances: Instance[] = [];

  afterEach(async () => {
    await Promise.all(instances.map((i) => i.db.destroy()));
    instances = [];
    await testDb?.drop();
  });

  for (const count of [2, 4]) {
    it(`brings up ${count} instances on one fresh database, with one copy of each demo account`, async () => {
      testDb = await createTestDatabase('startup');
      instances = await startTogether(testDb.url, count);

      const [first] = instances;
      if (!first) throw new Error('no instance');
      const users = await first.db.selectFrom('users').select('username').execute();
      expect(users.map((u) => u.username).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort());
      const migrations = await first.db.selectFrom('stock').select('product_id').execute();
      expect(migrations).toHaveLength(first.catalog.products.length);
      for (const { username, password } of DEMO_ACCOUNTS) {
        expect(await first.users.verify(username, password)).toBeDefined();
      }
    });
  }
});
