// What makes two usernames "the same", and which names nobody may register.
// Pure: the repository, the login limit and registration all ask this module.

/**
 * The canonical key of a username: case and the separators `.`, `_`, `-` do not
 * count, so `RAVI`, `r.avi` and `ravi_` are all `ravi`. Accounts are unique by it,
 * logins find their account by it and the failed-login limit counts by it — one
 * person cannot be impersonated by a lookalike, nor dodge the limit with one.
 * (Migration 002 computes the same thing in SQL: change both or neither.)
 */
export function usernameKey(name: string): string {
  return name.trim().toLowerCase().replace(/[._-]/g, '');
}

/** A name must keep this many letters or digits once the separators are gone. */
export const MIN_KEY_LENGTH = 3;

// Names that would pass for the shop speaking. Matched against the key, so `Ad.Min` is `admin`.
const RESERVED = new Set([
  'admin',
  'administrator',
  'root',
  'superuser',
  'sysadmin',
  'system',
  'support',
  'helpdesk',
  'help',
  'staff',
  'moderator',
  'mod',
  'operator',
  'owner',
  'official',
  'security',
  'abuse',
  'billing',
  'postmaster',
  'webmaster',
  'hostmaster',
  'noreply',
  'sessionshop',
  'shop',
  'guest',
  'anonymous',
]);

// Role words reserved at either end of a name too: `admin_jane`, `shop-admin`, `support.team`.
const ROLE_WORDS = ['admin', 'moderator', 'support', 'staff', 'official', 'sessionshop'];

// Digits that read as letters: `adm1n`, `r00t`, `5upport`. `1` may stand for i or l.
const LOOKALIKE_DIGITS: Record<string, string> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't' };

function spellings(key: string): string[] {
  const letters = key.replace(/[03457]/g, (digit) => LOOKALIKE_DIGITS[digit] ?? digit);
  return [key, letters.replace(/1/g, 'i'), letters.replace(/1/g, 'l')];
}

/** True for a name reserved for the shop itself, in any spelling. */
export function isReservedUsername(name: string): boolean {
  return spellings(usernameKey(name)).some(
    (key) => RESERVED.has(key) || ROLE_WORDS.some((word) => key.startsWith(word) || key.endsWith(word)),
  );
}
