// Cross-site request forgery protection. Forms carry the session's synchronizer
// token (csrf-sync) as `_csrf`. JSON calls may skip it when the browser itself
// vouches that they come from this site: a cross-site page cannot send
// `Content-Type: application/json` without a CORS preflight, which we never grant.
// A refused request never makes a session nor sets a cookie: a cross-site form, which
// arrives without the shopper's cookie (SameSite=Lax), must not replace it.

import { randomBytes } from 'node:crypto';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { arrivedWithoutSession, dropNewSession } from '../../session/lifecycle.js';
import { sessionMessages } from '../../session/messages.js';
import { requestSessionId, type SessionCookieKeys } from '../../session/store/session-id.js';
import { HttpError } from './http-error.js';

const EXPIRED = sessionMessages.formExpired;
const CROSS_SITE = sessionMessages.crossSite;

export const csrf = csrfSync({
  size: 32, // 64 hex characters; the default 128 bytes would bloat every session
  getTokenFromState: (req) => req.shopSession?.csrfToken,
  storeTokenInState: (req, token) => {
    req.shopSession.csrfToken = token;
  },
  getTokenFromRequest: (req) => {
    const fromBody: unknown = req.body?._csrf;
    const sent = typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
    return sent === undefined ? undefined : unmasked(sent);
  },
  skipCsrfProtection: isSameOriginJson,
  errorConfig: { message: EXPIRED },
});

/** Methods that change nothing: no token, no origin check. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Before the session middleware: a write the browser says comes from another site
 * (`Sec-Fetch-Site`), or one with no session whose token it could carry (no valid cookie)
 * and not same-origin JSON, is refused before any session is made for it.
 */
export function refuseForeignWrites({ cookieName, secrets }: SessionCookieKeys): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (fromAnotherSite(req)) throw new HttpError(403, CROSS_SITE);
    if (requestSessionId(req, cookieName, secrets) === undefined && !isSameOriginJson(req)) {
      throw new HttpError(403, EXPIRED);
    }
    next();
  };
}

/**
 * csrf-sync's check, after the session middleware. A request it refuses whose session
 * was made just now (its cookie named a session that is gone) gets no session at all.
 */
export function checkCsrf({ cookieName, secrets }: SessionCookieKeys): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) =>
    csrf.csrfSynchronisedProtection(req, res, (err?: unknown) => {
      if (err && arrivedWithoutSession(req, cookieName, secrets)) dropNewSession(req);
      next(err);
    });
}

/** The browser says the request comes from another site (`Sec-Fetch-Site`); curl sends none. */
function fromAnotherSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

function isSameOriginJson(req: Request): boolean {
  if (!/^application\/json\s*(;|$)/i.test(req.get('content-type') ?? '')) return false;
  if (fromAnotherSite(req)) return false;
  const origin = req.get('origin');
  return origin === undefined || origin === `${req.protocol}://${req.get('host')}`;
}

/** The token for this session's forms (created on first use), masked afresh for this answer. */
export function csrfTokenFor(req: Request): string {
  return masked(csrf.generateToken(req));
}

/**
 * BREACH: a compressed page that carries a constant secret next to text an attacker can
 * reflect (the search box) gives the secret away, a character at a time, through the
 * length of the answer. So, as Django and Rails do, a page never carries the session's
 * token itself: it carries a fresh random mask and the token XOR that mask, different
 * on every answer, and a token sent back is unmasked before it is compared.
 */
function masked(token: string): string {
  const secret = Buffer.from(token, 'utf8');
  const mask = randomBytes(secret.length);
  return Buffer.concat([mask, xor(secret, mask)]).toString('base64url');
}

/** The token a masked value carries; undefined for anything that is not one. */
function unmasked(value: string): string | undefined {
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length === 0 || bytes.length % 2 !== 0) return undefined;
  const half = bytes.length / 2;
  return xor(bytes.subarray(half), bytes.subarray(0, half)).toString('utf8');
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ (b[i] ?? 0)));
}
