// The one place that knows which driver errors mean "the database is down, slow
// or restarting" rather than "this query is wrong": those become 503s that invite
// a retry (see web/to-http-error.ts), the rest stay 500s.
import { UnavailableError } from '../unavailable.js';

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
 * PostgreSQL SQLSTATEs: admin/crash shutdown and "cannot connect now" (a restart),
 * too many connections, and a statement cancelled by statement_timeout. Class 08
 * (connection exception) is matched by prefix below.
 */
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

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
  return isUnavailable(err, 0) ? new UnavailableError('database', { cause: err }) : undefined;
}

function isUnavailable(err: unknown, depth: number): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const { code, message, cause, errors } = err as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    // better-sqlite3: another connection holds the write lock for longer than busy_timeout.
    if (code.startsWith('SQLITE_BUSY')) return true;
  }
  if (typeof message === 'string' && DRIVER_MESSAGES.some((m) => m.test(message))) return true;
  // Node reports a failed connect to several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  if (Array.isArray(errors) && errors.some((e) => isUnavailable(e, depth + 1))) return true;
  return isUnavailable(cause, depth + 1);
}
