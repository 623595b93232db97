// Opens the database named by DATABASE_URL: a SQLite file (or ":memory:") by
// default, PostgreSQL for a postgres:// URL. Queries are written once, for both.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrate } from './migrations.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export async function openDatabase(url: string): Promise<Db> {
  const db = new Kysely<Database>({ dialect: isPostgresUrl(url) ? postgres(url) : sqlite(url) });
  await migrate(db as Kysely<unknown>);
  return db;
}

function sqlite(file: string) {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new Sqlite(file);
  // WAL lets readers carry on while a checkout writes; foreign keys are off by default in SQLite.
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database });
}

function postgres(connectionString: string) {
  return new PostgresDialect({ pool: new pg.Pool({ connectionString, max: 10 }) });
}
