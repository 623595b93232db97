// Cross-site request forgery protection. Forms carry the session's synchronizer
// token (csrf-sync) as `_csrf`. JSON calls may skip it when the browser itself
// vouches that they come from this site: a cross-site page cannot send
// `Content-Type: application/json` without a CORS preflight, which we never grant.

import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

export const csrf = csrfSync({
  size: 32, // 64 hex characters; the default 128 bytes would bloat every session
  getTokenFromState: (req) => req.shopSession?.csrfToken,
  storeTokenInState: (req, token) => {
    req.shopSession.csrfToken = token;
  },
  getTokenFromRequest: (req) => {
    const fromBody: unknown = req.body?._csrf;
    return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
  },
  skipCsrfProtection: isSameOriginJson,
  errorConfig: { message: 'This form has expired. Please reload the page and try again.' },
});

function isSameOriginJson(req: Request): boolean {
  if (!/^application\/json\s*(;|$)/i.test(req.get('content-type') ?? '')) return false;
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  return origin === undefined || origin === `${req.protocol}://${req.get('host')}`;
}

/** The token for this session's forms (created on first use). */
export function csrfTokenFor(req: Request): string {
  return csrf.generateToken(req);
}
