// Demo accounts, created at first start so the README's walkthrough works on a
// fresh clone. They are listed, with their passwords, in the README.
import type { UserRepository } from './users.js';

export const DEMO_ACCOUNTS = [
  { username: 'ravi', password: 'ravi-demo-pass' },
  { username: 'alice', password: 'alice-demo-pass' },
] as const;

export async function seedDemoAccounts(users: UserRepository): Promise<void> {
  for (const { username, password } of DEMO_ACCOUNTS) {
    if (!(await users.find(username))) await users.create(username, password);
  }
}
