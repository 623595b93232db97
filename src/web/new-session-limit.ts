// New sessions are limited per IP (NEW_SESSION_IP_LIMIT a minute). With
// saveUninitialized every cookieless request stores a session; the store keeps
// empty ones apart from carts (session/tiered-store.ts), but a flood of cookieless
// adds to cart would make sessions with carts. Requests that carry a valid session
// cookie are never counted: a shopper already here is never refused by this.
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { requestSessionId } from '../session/session-id.js';
import { type LimitStoreOptions, limitStore, refuse } from './rate-limit.js';

export type NewSessionLimiterOptions = LimitStoreOptions & {
  perIpPerMinute: number;
  cookieName: string;
  secrets: string[];
};

export function newSessionLimiter({
  perIpPerMinute,
  cookieName,
  secrets,
  ...storeOptions
}: NewSessionLimiterOptions): RequestHandler {
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
  return (req, res, next) =>
    requestSessionId(req, cookieName, secrets) === undefined ? limiter(req, res, next) : next();
}
