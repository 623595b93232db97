// Order ids a shopper can read out on the phone: twelve characters of Crockford's
// base32 (no I, L, O or U to mistake for 1, 0 or V) in three groups, from 60
// random bits, so the id stays unguessable and can go in the order page's URL.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const READABLE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

export function newOrderId(): string {
  const bytes = randomBytes(12);
  // Stryker disable next-line StringLiteral: b & 31 is below 32, the alphabet's length, so the fallback (for the type checker) never runs
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31] ?? '0');
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((g) => g.join('')).join('-');
}

/**
 * The order number shown to people: "SS-7KQ4-M2XD-9TRA". Orders placed before ids
 * were readable keep their id as their number, so every order has one.
 */
export function orderNumber(id: string): string {
  return READABLE.test(id) ? `SS-${id}` : id;
}

/** Accepts what a shopper might type or paste: lower case, or the number with its "SS-". */
export function idFromNumber(input: string): string {
  const upper = input.trim().toUpperCase();
  const bare = upper.startsWith('SS-') ? upper.slice(3) : upper;
  return READABLE.test(bare) ? bare : input;
}
