// New sessions are limited per IP (NEW_SESSION_IP_LIMIT a minute). With
// saveUninitialized every request without a session stores one; the store keeps
// empty ones apart from carts (session/store/tiered-store.ts), but a flood of adds to cart
// would make sessions with carts. A request makes a new session when it carries no
// valid session cookie, or a cookie whose session is gone (the pre-login one, an
// evicted one): both count, in two places, and a refused request makes no session at
// all. A shopper whose session is stored is never refused by this.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { arrivedWithoutSession, dropNewSession } from '../../session/lifecycle.js';
import { requestSessionId, type SessionCookieKeys } from '../../session/store/session-id.js';
import { type LimitStoreOptions, limitStore, refuse } from './rate-limit.js';

export type NewSessionLimiterOptions = LimitStoreOptions & SessionCookieKeys & { perIpPerMinute: number };

export type NewSessionLimit = {
  /** Before the session middleware: requests without a valid cookie, refused before a session exists. */
  beforeSession: RequestHandler;
  /** Right after it: a valid cookie whose session was not found; a refusal drops the session just made. */
  afterSession: RequestHandler;
};

export function newSessionLimiter({
  perIpPerMinute,
  cookieName,
  secrets,
  ...storeOptions
}: NewSessionLimiterOptions): NewSessionLimit {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: perIpPerMinute,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (req: Request) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: refuse('Too many new visits from your network. Please wait a minute and try again.'),
    store: limitStore('shop:new-session-limit:', storeOptions),
  });
  // Decided before the limiter (not its `skip`), which would run a promise per request.
  return {
    beforeSession: (req, res, next) =>
      requestSessionId(req, cookieName, secrets) === undefined ? limiter(req, res, next) : next(),
    afterSession: (req: Request, res: Response, next: NextFunction) => {
      if (
        requestSessionId(req, cookieName, secrets) === undefined ||
        !arrivedWithoutSession(req, cookieName, secrets)
      ) {
        return next();
      }
      return limiter(req, res, (err?: unknown) => {
        if (err) dropNewSession(req);
        next(err);
      });
    },
  };
}
