// The one place that knows which driver errors mean "the database is down, full or
// busy" rather than "this query is wrong": those become 503s that say which and
// invite a retry (see web/errors/to-http-error.ts), the rest stay 500s.
import { type Trouble, UnavailableError } from '../unavailable.js';

/** Socket-level failures: nothing is listening, the link broke, or no route to the server. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs and SQLite result codes by what they mean for the shopper.
 * Class 08 (connection exception) is unavailable too, matched by prefix below.
 * - unavailable: admin/crash shutdown, "cannot connect now" (a restart), too many connections;
 * - full: disk full, out of memory; SQLite's database or disk full;
 * - busy: a statement cancelled by statement_timeout, a lock wait past lock_timeout, and
 *   the conflicts retried first (db/conflicts.ts); SQLite locked past busy_timeout.
 */
const TROUBLES: Record<string, Trouble> = {
  '57P01': 'unavailable',
  '57P02': 'unavailable',
  '57P03': 'unavailable',
  '53300': 'unavailable',
  '53100': 'full',
  '53200': 'full',
  SQLITE_FULL: 'full',
  '57014': 'busy',
  '55P03': 'busy',
  '40001': 'busy',
  '40P01': 'busy',
  SQLITE_BUSY: 'busy',
  SQLITE_LOCKED: 'busy',
};

/** node-postgres and pg-pool say these in words only, without a code. */
const DRIVER_MESSAGES = [
  /^Connection terminated/, // "… unexpectedly", "… due to connection timeout"
  /^timeout exceeded when trying to connect$/, // pg-pool: no free connection in time
  /^timeout expired$/, // pg.Client: connectionTimeoutMillis passed while connecting
  /^Query read timeout$/,
  /is not queryable$/, // a client whose connection died mid-transaction, asked to roll back
];

/** The database could not answer: an UnavailableError to throw instead, or undefined. */
export function asDatabaseUnavailable(err: unknown): UnavailableError | undefined {
  if (err instanceof UnavailableError) return err.dependency === 'database' ? err : undefined;
  const trouble = troubleOf(err, 0);
  return trouble ? new UnavailableError('database', trouble, { cause: err }) : undefined;
}

function troubleOf(err: unknown, depth: number): Trouble | undefined {
  if (typeof err !== 'object' || err === null || depth > 3) return undefined;
  const { code, message, cause, errors } = err as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'unavailable';
    // better-sqlite3 adds extended codes to the primary one: SQLITE_BUSY_SNAPSHOT, SQLITE_FULL…
    const known = TROUBLES[code] ?? TROUBLES[code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1')];
    if (known) return known;
    // "database … is not currently accepting connections" (ALLOW_CONNECTIONS false): 55000
    // is a broad class, so only with those words.
    if (code === '55000' && typeof message === 'string' && /accepting connections/.test(message)) {
      return 'unavailable';
    }
  }
  if (typeof message === 'string' && DRIVER_MESSAGES.some((m) => m.test(message))) return 'unavailable';
  // Node reports a failed connect to several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  if (Array.isArray(errors)) {
    for (const e of errors) {
      const found = troubleOf(e, depth + 1);
      if (found) return found;
    }
  }
  return troubleOf(cause, depth + 1);
}
