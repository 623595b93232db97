// The session ID a request carries, read exactly as express-session reads it, with the
// very packages it uses (`cookie` and `cookie-signature`, pinned to its versions): the
// cookie value URL-decoded, `s:` + ID + `.` + signature, checked against every secret
// (rotation). `s%3Aabc.sig` and `s:abc.sig` are the same session, and so is an ID
// signed with an older secret: all of them must share one lock. Were this reading and
// express-session's ever to differ, two requests of one session would stop taking turns.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import cookie from 'cookie';
import signature from 'cookie-signature';
import { BoundedMap } from '../../bounded-map.js';

// Asked twice per request (the new-session limit, then the lock): unsigned once.
const unsigned = new WeakMap<IncomingMessage, string | undefined>();

/** What reading a request's session ID takes: the cookie's name and every secret that verifies it. */
export type SessionCookieKeys = { cookieName: string; secrets: string[] };

/** The request's session ID, read once and remembered for the rest of the request. */
export function requestSessionId(req: IncomingMessage, name: string, secrets: string[]): string | undefined {
  if (unsigned.has(req)) return unsigned.get(req);
  const id = sessionIdFromCookie(req.headers.cookie, name, secrets);
  unsigned.set(req, id);
  return id;
}

/** express-session's getcookie(), without its long-deprecated cookie-parser fallbacks. */
export function sessionIdFromCookie(header: string | undefined, name: string, secrets: string[]): string | undefined {
  if (!header) return undefined;
  const raw = cookie.parse(header)[name];
  if (!raw?.startsWith('s:')) return undefined;
  return unsign(raw.slice(2), secrets);
}

/**
 * Signed values already found good, per list of secrets: a shopper sends the same
 * cookie with every request, and one HMAC for it is enough. Only good signatures are
 * kept (a forged one is checked every time), at most VERIFIED_MAX, oldest out first.
 */
const verified = new WeakMap<readonly string[], BoundedMap<string, string>>();
const VERIFIED_MAX = 10_000;

function unsign(signed: string, secrets: string[]): string | undefined {
  let known = verified.get(secrets);
  if (known === undefined) {
    known = new BoundedMap(VERIFIED_MAX);
    verified.set(secrets, known);
  }
  const hit = known.get(signed);
  if (hit !== undefined) return hit;
  // express-session's unsigncookie(): the first secret that verifies it.
  for (const secret of secrets) {
    const value = signature.unsign(signed, secret);
    if (value !== false) {
      known.set(signed, value);
      return value;
    }
  }
  return undefined;
}

/** Compares two signatures without telling, by its timing, how much of one matched. */
export function sameInConstantTime(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Enough of a session ID to tell two apart on a page or in a log, not enough to use one. */
export const shortId = (id: string): string => `${id.slice(0, 6)}…`;
