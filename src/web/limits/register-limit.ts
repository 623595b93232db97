// Sign-ups are limited per IP (REGISTER_IP_LIMIT, 5 per hour): no mass registration,
// and no enumerating names through "that name is taken", which is answered only
// after this check. In Redis when the app runs on several instances.
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { type LimitStoreOptions, limitStore, minutesOf, refuse } from './rate-limit.js';

export type RegisterLimiterOptions = LimitStoreOptions & {
  perIp: number;
  windowMs?: number;
  /** True for a body the route will refuse as malformed (422): it looks nothing up, so it is not counted. */
  malformed: (req: Request) => boolean;
};

export function registerLimiter({
  perIp,
  windowMs = 60 * 60_000,
  malformed,
  ...storeOptions
}: RegisterLimiterOptions): RequestHandler {
  return rateLimit({
    windowMs,
    limit: perIp,
    // Every well-formed attempt counts, whatever its answer: 201, 409 (taken or reserved), 5xx.
    // Not skipFailedRequests: it gives the count back when the client hangs up early, and the
    // account is still created — a free pass for a bot that never waits for the answer.
    skip: malformed,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req: Request) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: refuse(`Too many sign-ups from your network. Please wait ${minutesOf(windowMs)} minutes and try again.`),
    store: limitStore('shop:register-limit:', storeOptions),
  });
}
