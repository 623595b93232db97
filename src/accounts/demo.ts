// Demo accounts, created at first start so the README's walkthrough works on a
// fresh clone. They are listed, with their passwords, in the README.
import { UsernameTakenError, type UserRepository } from './users.js';

export const DEMO_ACCOUNTS = [
  { username: 'ravi', password: 'ravi-demo-pass' },
  { username: 'alice', password: 'alice-demo-pass' },
] as const;

/** Idempotent: instances starting together on one database each try, and one insert wins. */
export async function seedDemoAccounts(users: UserRepository): Promise<void> {
  for (const { username, password } of DEMO_ACCOUNTS) {
    if (await users.find(username)) continue;
    await users.create(username, password).catch((err: unknown) => {
      // Another instance created it between our look-up and our insert: that is the goal met.
      if (!(err instanceof UsernameTakenError)) throw err;
    });
  }
}
