// Shopper accounts: registration, credential checks and saved preferences.
import { randomUUID } from 'node:crypto';
import { type Prefs, prefsSchema } from '../catalog/prefs.js';
import { isUniqueViolation } from '../db/conflicts.js';
import type { Db } from '../db/connect.js';
import { readJsonColumn } from '../db/json-column.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';
import { usernameKey } from './usernames.js';

export type User = { id: string; username: string; prefs: Partial<Prefs> };

export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`The username "${username}" is already taken`);
  }
}

export class UserRepository {
  constructor(private readonly db: Db) {}

  /** Throws UsernameTakenError when any spelling of the name is taken (see usernames.ts). */
  async create(username: string, password: string): Promise<User> {
    if (await this.find(username)) throw new UsernameTakenError(username);
    const id = randomUUID();
    const passwordHash = await hashPassword(password);
    try {
      await this.db
        .insertInto('users')
        .values({
          id,
          username: username.toLowerCase(),
          username_key: usernameKey(username),
          password_hash: passwordHash,
          prefs: '{}',
          created_at: new Date().toISOString(),
        })
        .execute();
    } catch (err) {
      // Two registrations racing for one name, or two lookalikes of it: the unique indexes decide.
      if (isUniqueViolation(err)) throw new UsernameTakenError(username);
      throw err;
    }
    return { id, username: username.toLowerCase(), prefs: {} };
  }

  /**
   * Undoes a create(): a registration that was refused after all. The saved cart goes with
   * the account (ON DELETE CASCADE); an account that has placed an order since is kept.
   */
  async remove(userId: string): Promise<void> {
    await this.db
      .deleteFrom('users')
      .where('id', '=', userId)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('orders').select('orders.id').whereRef('orders.user_id', '=', 'users.id'))),
      )
      .execute();
  }

  /** Returns the user only when the password matches; the same work either way. */
  async verify(username: string, password: string): Promise<User | undefined> {
    const row = await this.lookUp(username);
    const ok = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
    return row && ok
      ? { id: row.id, username: row.username, prefs: readJsonColumn(prefsSchema, row.prefs, {}) }
      : undefined;
  }

  /** The account any spelling of `username` names (`RAVI`, `r.avi` → ravi). */
  async find(username: string): Promise<User | undefined> {
    const row = await this.lookUp(username);
    return row ? { id: row.id, username: row.username, prefs: readJsonColumn(prefsSchema, row.prefs, {}) } : undefined;
  }

  /**
   * By canonical key, so a shopper may type their name in any case or spelling. An exact
   * name wins over the key: a lookalike registered before keys existed (migration 002)
   * still reaches its own account by typing its own name.
   */
  private async lookUp(username: string) {
    const exact = username.trim().toLowerCase();
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'username', 'password_hash', 'prefs'])
      .where((eb) => eb.or([eb('username', '=', exact), eb('username_key', '=', usernameKey(username))]))
      .execute();
    return rows.find((row) => row.username === exact) ?? rows[0];
  }

  /**
   * Undoes a savePrefs(userId, written): back to `previous`, unless the row no longer
   * holds `written` (another browser of the member's saved preferences since).
   */
  async putBackPrefs(userId: string, written: Partial<Prefs>, previous: Partial<Prefs>): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ prefs: JSON.stringify(previous) })
      .where('id', '=', userId)
      .where('prefs', '=', JSON.stringify(written))
      .execute();
  }

  async savePrefs(userId: string, prefs: Partial<Prefs>): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ prefs: JSON.stringify(prefs) })
      .where('id', '=', userId)
      .execute();
  }
}
