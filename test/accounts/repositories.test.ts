// The account repositories over SQLite :memory:: what goes in comes back out, and
// what comes back out is checked again, so a bad stored value is dropped, not trusted.
import { describe, expect } from 'vitest';
import { seedDemoAccounts } from '../../src/accounts/demo.js';
import { SavedCartRepository } from '../../src/accounts/saved-carts.js';
import { UsernameTakenError, UserRepository } from '../../src/accounts/users.js';
import type { Db } from '../../src/db/connect.js';
import { dbTest } from '../helpers/memory-db.js';

const it = dbTest
  .extend('users', ({ db }) => new UserRepository(db))
  .extend('carts', ({ db }) => new SavedCartRepository(db));

/** Writes `json` as a user's stored preferences, bypassing the repository. */
async function storePrefs(db: Db, userId: string, json: string) {
  await db.updateTable('users').set({ prefs: json }).where('id', '=', userId).execute();
}

/** Writes `json` as a user's saved cart lines, bypassing the repository. */
async function storeLines(db: Db, userId: string, json: string) {
  await db.deleteFrom('saved_carts').where('user_id', '=', userId).execute();
  await db.insertInto('saved_carts').values({ user_id: userId, lines: json, updated_at: '' }).execute();
}

describe('UserRepository', () => {
  it('keeps the preferences it saved', async ({ users }) => {
    const user = await users.create('mira', 'a-long-enough-password');
    await users.savePrefs(user.id, { theme: 'dark', pageSize: 24 });
    expect((await users.find('MIRA'))?.prefs).toEqual({ theme: 'dark', pageSize: 24 });
  });

  it('drops stored preferences that are not valid, or not JSON at all', async ({ db, users }) => {
    const user = await users.create('mira', 'a-long-enough-password');
    await storePrefs(db, user.id, JSON.stringify({ theme: 'neon', sort: 'name' }));
    expect((await users.find('mira'))?.prefs).toEqual({});
    await storePrefs(db, user.id, '{not json');
    expect((await users.find('mira'))?.prefs).toEqual({});
    expect((await users.verify('mira', 'a-long-enough-password'))?.prefs).toEqual({});
  });

  it('answers undefined for a wrong password or an unknown name', async ({ users }) => {
    await users.create('mira', 'a-long-enough-password');
    expect(await users.verify('mira', 'not-the-password')).toBeUndefined();
    expect(await users.verify('nobody', 'a-long-enough-password')).toBeUndefined();
  });

  it('refuses a name that is taken, in any spelling', async ({ users }) => {
    await users.create('mira', 'a-long-enough-password');
    await expect(users.create('MIRA', 'another-long-password')).rejects.toBeInstanceOf(UsernameTakenError);
  });
});

describe('seedDemoAccounts', () => {
  it('creates each demo account once, however often it runs', async ({ db, users }) => {
    await seedDemoAccounts(users);
    await seedDemoAccounts(users);
    expect(await db.selectFrom('users').select('username').orderBy('username').execute()).toEqual([
      { username: 'alice' },
      { username: 'ravi' },
    ]);
    expect(await users.verify('ravi', 'ravi-demo-pass')).toBeDefined();
  });
});

describe('SavedCartRepository', () => {
  it('gives an empty cart to a member who never saved one', async ({ carts }) => {
    expect(await carts.load('no-such-user')).toEqual({ lines: [] });
  });

  it('replaces the saved cart on every save', async ({ users, carts }) => {
    const { id } = await users.create('mira', 'a-long-enough-password');
    await carts.save(id, { lines: [{ productId: 'p-001', quantity: 2 }] });
    await carts.save(id, { lines: [{ productId: 'p-002', quantity: 1 }] });
    expect(await carts.load(id)).toEqual({ lines: [{ productId: 'p-002', quantity: 1 }] });
  });

  it('drops stored lines that are not valid, or not JSON at all', async ({ db, users, carts }) => {
    const { id } = await users.create('mira', 'a-long-enough-password');
    await storeLines(db, id, JSON.stringify([{ productId: 'p-001', quantity: -3 }]));
    expect(await carts.load(id)).toEqual({ lines: [] });
    await storeLines(db, id, '[{"productId": "p-001", "quan');
    expect(await carts.load(id)).toEqual({ lines: [] });
  });
});
