// A PostgreSQL database of the test's own, made on the shared server and dropped
// after: fault tests may terminate its connections without disturbing anyone else.
import pg from 'pg';
import { POSTGRES_URL } from './services.js';

export type TestDatabase = {
  name: string;
  url: string;
  /** Terminates every backend connected to this database (as a server restart would). */
  terminateBackends(): Promise<number>;
  drop(): Promise<void>;
};

let counter = 0;

export async function createTestDatabase(label = 'shop'): Promise<TestDatabase> {
  const name = `${label}_${process.pid}_${Date.now()}_${counter++}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async terminateBackends() {
      const result = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      return result.rowCount ?? 0;
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
