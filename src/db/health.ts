// Is the database answering? Asked by GET /readyz. SQLite lives inside this
// process, so it is ready whenever the process is; PostgreSQL gets a bounded
// `select 1` (through the pool, so a pool with no free connection counts too).
import { sql } from 'kysely';
import { withTimeout } from '../unavailable.js';
import { type Db, isPostgresUrl } from './connect.js';

export async function databaseReady(db: Db, url: string, timeoutMs: number): Promise<boolean> {
  if (!isPostgresUrl(url)) return true;
  try {
    await withTimeout(sql`select 1`.execute(db), timeoutMs, () => new Error('database readiness check timed out'));
    return true;
  } catch {
    return false;
  }
}
