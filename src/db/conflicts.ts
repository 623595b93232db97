// Errors that say "another transaction got in the way", not "this is wrong":
// a unique index that another writer won, a transaction PostgreSQL aborted to break
// a deadlock or keep serializability, or a row held past lock_timeout by another
// transaction, which succeed when simply run again. A conflict still there after the
// last try is the database being busy (db/unavailable.ts): 503, "try again".

/** Tries a transaction gets at a row held by another one (PostgreSQL's lock_timeout: db/connect.ts). */
export const LOCK_WAITS = 3;

/** The driver's error code: a PostgreSQL SQLSTATE or a better-sqlite3 SQLITE_* code. */
function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code } = err as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** serialization_failure, deadlock_detected, lock_not_available: rolled back, and may be retried. */
const CONFLICTS = new Set(['40001', '40P01', '55P03']);

export function isTransactionConflict(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && CONFLICTS.has(code);
}

export type RetryOptions = { attempts?: number; baseDelayMs?: number };

/**
 * Runs `transaction` again when the database aborted it as a conflict, up to
 * `attempts` runs in all. The random wait lets the contenders stop colliding.
 */
export async function retryOnConflict<T>(
  transaction: () => Promise<T>,
  { attempts = LOCK_WAITS, baseDelayMs = 10 }: RetryOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      if (attempt >= attempts || !isTransactionConflict(err)) throw err;
      const delayMs = baseDelayMs * attempt * (1 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
