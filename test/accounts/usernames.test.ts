// What makes two usernames the same (usernameKey), which names nobody may register,
// and migration 002, which gives the accounts made before it their key.
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/accounts/passwords.js';
import { isReservedUsername, usernameKey } from '../../src/accounts/usernames.js';
import { UserRepository } from '../../src/accounts/users.js';
import type { Db } from '../../src/db/connect.js';
import { type Engine, migrate } from '../../src/db/migrations.js';
import type { Database } from '../../src/db/schema.js';
import { createTestDatabase } from '../helpers/postgres-db.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';

const postgres = await serviceAvailable('PostgreSQL', POSTGRES_URL);

describe('usernameKey', () => {
  it('ignores case, surrounding spaces and the separators . _ -', () => {
    for (const name of ['ravi', 'RAVI', ' Ravi ', 'ravi.', 'r.avi', 'ravi_', '_r-a.v_i-', 'R.A.V.I']) {
      expect(usernameKey(name)).toBe('ravi');
    }
  });

  it('keeps letters and digits apart', () => {
    expect(usernameKey('ravi1')).not.toBe(usernameKey('ravii'));
    expect(usernameKey('ravi')).not.toBe(usernameKey('rav'));
  });
});

describe('isReservedUsername', () => {
  it.each([
    'admin',
    'Administrator',
    'ad.min',
    'AD_MIN',
    'root',
    'r-o-o-t',
    'support',
    'staff',
    'moderator',
    'system',
    'superuser',
    'sysadmin',
  ])('reserves %s', (name) => {
    expect(isReservedUsername(name)).toBe(true);
  });

  it.each(['adm1n', 'r00t', '5upport', 'st4ff', 'm0derat0r'])('reserves %s, digits standing in for letters', (name) => {
    expect(isReservedUsername(name)).toBe(true);
  });

  it.each(['admin_jane', 'shop-admin', 'support.team', 'staff-anna', 'moderator2'])(
    'reserves %s, a role word at either end',
    (name) => {
      expect(isReservedUsername(name)).toBe(true);
    },
  );

  it.each(['ravi', 'alice', 'badminton', 'rooty', 'mia.kim', 'systemic', 'r00ts'])('leaves %s free', (name) => {
    expect(isReservedUsername(name)).toBe(false);
  });
});

/**
 * A database as 001 left it, with accounts registered before names had keys —
 * lookalikes included — then brought up to date. Returns the users' keys.
 */
async function upgradeWithLookalikes(db: Kysely<Database>, engine: Engine) {
  await migrate(db as Kysely<unknown>, engine, '001_initial');
  const hash = await hashPassword('old-password');
  const rows: [string, string, string][] = [
    // [id, username, created_at]: r.avi registered first, ravi (the canonical spelling) later.
    ['u-r.avi', 'r.avi', '2024-01-01T00:00:00.000Z'],
    ['u-ravi', 'ravi', '2024-02-01T00:00:00.000Z'],
    ['u-ravi_', 'ravi_', '2024-03-01T00:00:00.000Z'],
    // No canonical spelling in this group: the oldest keeps the key.
    ['u-mia-k', 'mia-k', '2024-02-01T00:00:00.000Z'],
    ['u-mi.ak', 'mi.ak', '2024-01-01T00:00:00.000Z'],
    ['u-alice', 'alice', '2024-01-01T00:00:00.000Z'],
  ];
  await db
    .insertInto('users')
    .values(rows.map(([id, username, created_at]) => ({ id, username, password_hash: hash, prefs: '{}', created_at })))
    .execute();
  await migrate(db as Kysely<unknown>, engine);
  const keys = await db.selectFrom('users').select(['username', 'username_key']).execute();
  return Object.fromEntries(keys.map((r) => [r.username, r.username_key]));
}

async function expectUpgraded(db: Db, engine: Engine) {
  expect(await upgradeWithLookalikes(db, engine)).toEqual({
    ravi: 'ravi',
    'r.avi': 'r.avi',
    ravi_: 'ravi_',
    'mi.ak': 'miak',
    'mia-k': 'mia-k',
    alice: 'alice',
  });
  const users = new UserRepository(db);
  // Every old account still logs in by its exact name; any other spelling means the key's owner.
  expect((await users.verify('r.avi', 'old-password'))?.username).toBe('r.avi');
  expect((await users.verify('RAVI_', 'old-password'))?.username).toBe('ravi_');
  expect((await users.verify('Ravi', 'old-password'))?.username).toBe('ravi');
  expect((await users.verify('ra.vi', 'old-password'))?.username).toBe('ravi');
  expect((await users.verify('mia-k', 'old-password'))?.username).toBe('mia-k');
  expect((await users.verify('MIAK', 'old-password'))?.username).toBe('mi.ak');
  // And no new lookalike can join them.
  await expect(users.create('r_avi', 'new-password')).rejects.toThrow(/taken/);
  await expect(users.create('Mi-A-K', 'new-password')).rejects.toThrow(/taken/);
  expect((await users.create('Newbie', 'new-password')).username).toBe('newbie');
}

describe('migration 002: username keys', () => {
  it('backfills keys on SQLite; a lookalike keeps its own name as key, the canonical or oldest spelling the key', async () => {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new Sqlite(':memory:') }) });
    try {
      await expectUpgraded(db, 'sqlite');
    } finally {
      await db.destroy();
    }
  });

  it.skipIf(!postgres)('backfills keys the same way on PostgreSQL', async () => {
    const database = await createTestDatabase('usernames');
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    // The drop below terminates the backends of connections the pool may still be closing;
    // without a listener, the error that reports arrives after the test, unhandled.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      await expectUpgraded(db, 'postgres');
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
