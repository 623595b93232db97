// The demo accounts the login page lists, so a visitor can try logging in at once.
// Only outside production, and only those that exist in this database (a test shop
// may start without them).
import { DEMO_ACCOUNTS } from '../../accounts/demo.js';
import type { UserRepository } from '../../accounts/users.js';

export type DemoAccount = { username: string; password: string };

export async function demoAccountsToShow(production: boolean, users: UserRepository): Promise<DemoAccount[]> {
  if (production) return [];
  const found = await Promise.all(
    DEMO_ACCOUNTS.map(async (account) => ((await users.find(account.username)) ? account : undefined)),
  );
  return found.filter((account) => account !== undefined);
}
