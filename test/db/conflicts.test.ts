import { describe, expect, it } from 'vitest';
import { isTransactionConflict, isUniqueViolation, retryOnConflict } from '../../src/db/conflicts.js';
import { openDatabase } from '../../src/db/connect.js';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

/** A transaction that fails with the given errors, in turn, then succeeds. */
function failingWith(...errors: Error[]) {
  let runs = 0;
  const work = async () => {
    const err = errors[runs++];
    if (err) throw err;
    return 'done';
  };
  return { work, runs: () => runs };
}

describe('retryOnConflict', () => {
  it('runs a transaction again after a deadlock or a serialization failure', async () => {
    const t = failingWith(pgError('40P01'), pgError('40001'));
    expect(await retryOnConflict(t.work, { baseDelayMs: 1 })).toBe('done');
    expect(t.runs()).toBe(3);
  });

  it('gives up after the given number of runs, with the last error', async () => {
    const t = failingWith(pgError('40P01'), pgError('40P01'), pgError('40001'), pgError('40P01'));
    await expect(retryOnConflict(t.work, { attempts: 3, baseDelayMs: 1 })).rejects.toThrow('pg 40001');
    expect(t.runs()).toBe(3);
  });

  it('does not retry any other error', async () => {
    const t = failingWith(pgError('23505'));
    await expect(retryOnConflict(t.work, { baseDelayMs: 1 })).rejects.toThrow('pg 23505');
    expect(t.runs()).toBe(1);
  });
});

describe('isUniqueViolation', () => {
  it('recognises a real SQLite unique violation and the PostgreSQL SQLSTATE', async () => {
    const db = await openDatabase(':memory:');
    const row = { product_id: 'a', quantity: 1 };
    await db.insertInto('stock').values(row).execute();
    const err = await db
      .insertInto('stock')
      .values(row)
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    await db.destroy();
    // A primary key is not the unique index a token or a username has.
    expect(isUniqueViolation(err)).toBe(false);
    expect(isUniqueViolation(pgError('23505'))).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(true);
    expect(isTransactionConflict(pgError('23505'))).toBe(false);
  });

  it('counts a lock wait that ran out (lock_timeout) as a conflict to retry', () => {
    expect(['40001', '40P01', '55P03'].map((code) => isTransactionConflict(pgError(code)))).toEqual([true, true, true]);
    expect(isTransactionConflict(pgError('57014'))).toBe(false); // statement_timeout: the budget is spent
  });
});
