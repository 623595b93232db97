import { describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, verifyPassword } from '../../src/accounts/passwords.js';
import { UsernameTakenError, UserRepository } from '../../src/accounts/users.js';
import { openDatabase } from '../../src/db/connect.js';

describe('hashPassword', () => {
  it('stores the scheme, the scrypt parameters, a salt and the hash, never the password', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(stored).not.toContain('correct horse');
  });

  it('salts every hash, so one password gives two different hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
  });
});

describe('verifyPassword', () => {
  it('accepts the password that was hashed', async () => {
    expect(await verifyPassword('correct horse', await hashPassword('correct horse'))).toBe(true);
  });

  it('refuses any other password, including a different case or an extra space', async () => {
    const stored = await hashPassword('correct horse');
    for (const attempt of ['Correct horse', 'correct horse ', 'correct', '']) {
      expect(await verifyPassword(attempt, stored), attempt).toBe(false);
    }
  });

  it('refuses a stored value that is not one of its hashes instead of throwing', async () => {
    const stored = await hashPassword('secret-pass');
    const [, n, r, p, salt, hash] = stored.split('$');
    const damaged = [
      '',
      'secret-pass',
      `bcrypt$${n}$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}$`,
      `scrypt$not-a-number$${r}$${p}$${salt}$${hash}`,
      `scrypt$1000$${r}$${p}$${salt}$${hash}`, // N must be a power of two
      `scrypt$${n}$${r}$${p}$${salt}$${hash}$extra`,
    ];
    for (const value of damaged) await expect(verifyPassword('secret-pass', value), value).resolves.toBe(false);
  });

  it('refuses a truncated hash, which would otherwise match many passwords', async () => {
    const stored = await hashPassword('secret-pass');
    const [scheme, n, r, p, salt, hash = ''] = stored.split('$');
    const oneByte = Buffer.from(hash, 'base64').subarray(0, 1).toString('base64');
    expect(await verifyPassword('secret-pass', [scheme, n, r, p, salt, oneByte].join('$'))).toBe(false);
  });
});

describe('decoyHash', () => {
  it('is one real hash, made once, that ordinary passwords do not match', async () => {
    const decoy = await decoyHash();
    expect(decoy).toMatch(/^scrypt\$/);
    expect(await decoyHash()).toBe(decoy);
    expect(await verifyPassword('', decoy)).toBe(false);
    expect(await verifyPassword('password', decoy)).toBe(false);
  });
});

describe('UserRepository', () => {
  it('verifies a user by username in any case, and nobody with a wrong password or name', async () => {
    const users = new UserRepository(await openDatabase(':memory:'));
    const created = await users.create('Mia', 'mia-secret-1');
    expect(created.username).toBe('mia');
    expect(await users.verify('MIA', 'mia-secret-1')).toEqual({ id: created.id, username: 'mia', prefs: {} });
    expect(await users.verify('mia', 'mia-secret-2')).toBeUndefined();
    expect(await users.verify('nobody', 'mia-secret-1')).toBeUndefined();
  });

  it('refuses a second account with the same name in another case', async () => {
    const users = new UserRepository(await openDatabase(':memory:'));
    await users.create('mia', 'mia-secret-1');
    await expect(users.create('MIA', 'another-pass')).rejects.toBeInstanceOf(UsernameTakenError);
  });

  it('gives one of two simultaneous registrations of a name the account and the other UsernameTakenError', async () => {
    const users = new UserRepository(await openDatabase(':memory:'));
    const results = await Promise.allSettled([users.create('twin', 'pass-one-1'), users.create('twin', 'pass-two-2')]);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(UsernameTakenError);
  });

  it('keeps saved preferences and drops stored values it does not know', async () => {
    const db = await openDatabase(':memory:');
    const users = new UserRepository(db);
    const { id } = await users.create('mia', 'mia-secret-1');
    await users.savePrefs(id, { theme: 'dark', pageSize: 24 });
    expect((await users.find('mia'))?.prefs).toEqual({ theme: 'dark', pageSize: 24 });
    await db.updateTable('users').set({ prefs: '{"theme":"neon"}' }).where('id', '=', id).execute();
    expect((await users.find('mia'))?.prefs).toEqual({});
    await db.updateTable('users').set({ prefs: 'not json' }).where('id', '=', id).execute();
    expect((await users.find('mia'))?.prefs).toEqual({});
  });
});
