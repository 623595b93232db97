// Opens the database named by DATABASE_URL: a SQLite file (or ":memory:") by
// default, PostgreSQL for a postgres:// URL. Queries are written once, for both.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import pg from 'pg';
import { BoundedMap } from '../bounded-map.js';
import { LOCK_WAITS } from './conflicts.js';
import { type Engine, migrate } from './migrations.js';
import type { Database } from './schema.js';

/** A pool's connections: in use, idle, and callers waiting for one. */
export type PoolCounts = { inUse: number; idle: number; waiting: number };

export type Db = Kysely<Database>;

export type DatabaseOptions = {
  /** Most connections one instance holds open (PostgreSQL). */
  poolMax?: number;
  /** Bound on getting a connection and on each statement, so a sick database answers "unavailable" instead of hanging. */
  timeoutMs?: number;
  /** Told about connections the server dropped (a restart, pg_terminate_backend). Must not throw. */
  onError?: (err: Error) => void;
};

const DEFAULTS = { poolMax: 10, timeoutMs: 2000 };
/** The server's statement_timeout should fire first; the client-side one covers a dead network. */
const CLIENT_TIMEOUT_SLACK_MS = 1000;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Which engine an open database runs on: the few queries written per engine ask. */
export function engineOf(db: Kysely<unknown> | Db): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Db> {
  const engine = isPostgresUrl(url) ? 'postgres' : 'sqlite';
  const pool = engine === 'postgres' ? postgresPool(url, options) : undefined;
  const dialect = pool ? new PostgresDialect({ pool }) : sqlite(url, options);
  const db = new Kysely<Database>({ dialect });
  if (pool) pools.set(db, pool);
  try {
    await migrate(db as Kysely<unknown>, engine);
  } catch (err) {
    await db.destroy(); // else a failed start leaves a pool (and the process) running
    throw err;
  }
  return db;
}

function sqlite(file: string, options: DatabaseOptions) {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new Sqlite(file);
  // WAL lets readers carry on while a checkout writes; foreign keys are off by default in SQLite.
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  // Another process writing (a second instance, a migration) makes us wait this long, then SQLITE_BUSY (503).
  database.pragma(`busy_timeout = ${Math.trunc(options.timeoutMs ?? 5000)}`);
  return new SqliteDialect({ database: preparingOnce(database) });
}

/** More distinct statements than the app's queries make: a bound, not a working limit. */
const STATEMENTS_MAX = 500;

/**
 * better-sqlite3 with each statement prepared once. kysely's SQLite driver prepares
 * every query it runs, and preparing (parsing and planning) costs more than running
 * the small queries a cart change makes. Statements run synchronously here and none
 * is streamed, so one is never in use twice at a time; SQLite re-prepares a kept
 * statement by itself after a schema change.
 */
export function preparingOnce(database: Sqlite.Database): SqliteDatabase {
  const statements = new BoundedMap<string, Sqlite.Statement>(STATEMENTS_MAX);
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

const pools = new WeakMap<Db, pg.Pool>();

/** How the PostgreSQL pool behind `db` is used right now (metrics); undefined on SQLite. */
export function poolCounts(db: Db): PoolCounts | undefined {
  const pool = pools.get(db);
  if (!pool) return undefined;
  return { inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

function postgresPool(connectionString: string, options: DatabaseOptions): pg.Pool {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const onError = options.onError ?? (() => {});
  const pool = new pg.Pool({
    connectionString,
    max: options.poolMax ?? DEFAULTS.poolMax,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    // A row another transaction holds is waited on for a share of the budget only: the
    // transaction is then run again (db/conflicts.ts), all within about timeoutMs.
    lock_timeout: Math.max(1, Math.floor(timeoutMs / LOCK_WAITS)),
    query_timeout: timeoutMs + CLIENT_TIMEOUT_SLACK_MS,
    // A peer that vanished without closing the socket is noticed instead of waited on forever.
    keepAlive: true,
    // The shop's tables fit in memory, so a page read out of order costs about what one in
    // order does. With the default (4) the planner reads all 100,000 products to find the
    // 5,000 a search matched rather than follow the text index: 40 ms against 7 (measured).
    options: '-c random_page_cost=1.1',
  });
  // An idle connection the server closed (restart, pg_terminate_backend) is reported here;
  // without a listener, EventEmitter throws and the process dies. The pool drops the client.
  pool.on('error', (err) => {
    try {
      onError(err);
    } catch {
      // A logger that throws must not bring the process down either.
    }
  });
  // A client that is checked out has no pool listener: its query in flight rejects with
  // the same error (→ 503), and the pool discards it on release. This only keeps the
  // duplicate 'error' event from crashing the process.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
