// A transaction that will write, taking the write lock from its start. On SQLite a
// plain BEGIN reads first and asks for the lock at its first write; if another
// connection wrote meanwhile, that fails at once with "database is locked"
// (SQLITE_BUSY_SNAPSHOT, which busy_timeout does not wait out). BEGIN IMMEDIATE waits.
import { type Kysely, sql } from 'kysely';
import { type Db, engineOf } from './connect.js';
import type { Database } from './schema.js';

export async function writeTransaction<T>(db: Db, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (engineOf(db) === 'postgres') return db.transaction().execute(work);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}
