// The catalog suites run once per engine: SQLite :memory:, and PostgreSQL in a database
// of their own when it is reachable (skipped with a line saying why, or failed under
// REQUIRE_SERVICES=1, as the other service suites are: test/helpers/services.ts).
import { type Db, openDatabase } from '../../src/db/connect.js';
import { createTestDatabase } from '../helpers/postgres-db.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';

export type OpenedDb = { db: Db; url: string; close(): Promise<void> };

export type EngineUnderTest = { name: string; available: boolean; open(): Promise<OpenedDb> };

const postgres = await serviceAvailable('PostgreSQL', POSTGRES_URL, 'catalog suites on PostgreSQL');

export const ENGINES: EngineUnderTest[] = [
  {
    name: 'SQLite',
    available: true,
    async open() {
      const db = await openDatabase(':memory:');
      return { db, url: ':memory:', close: () => db.destroy() };
    },
  },
  {
    name: 'PostgreSQL',
    available: postgres,
    async open() {
      const database = await createTestDatabase('catalog');
      const db = await openDatabase(database.url);
      return {
        db,
        url: database.url,
        async close() {
          await db.destroy();
          await database.drop();
        },
      };
    },
  },
];
