// Failed logins are limited three ways: per client address whatever the names tried
// (LOGIN_IP_LIMIT, 30 per 15 minutes), so one address cannot spray a common password
// over many accounts; per username and address (5 per 15 minutes); and per username
// alone whatever the address (LOGIN_USERNAME_LIMIT, 20 per 15 minutes), so an attacker
// rotating addresses is stopped too. Successful logins do not count. Names
// are counted by their canonical key, the one a login finds the account by, without
// looking the name up: an unknown name is limited exactly like a known one. In Redis
// when the app runs on several instances.
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { usernameKey } from '../../accounts/usernames.js';
import { type LimitStoreOptions, limitStore, minutesOf, refuse } from './rate-limit.js';

export type LoginLimiterOptions = LimitStoreOptions & {
  /** Failures per username from any IP in one window. */
  perUsername: number;
  /** Failures per IP, whatever the usernames, in one window. */
  perIp: number;
  perUsernameAndIp?: number;
  windowMs?: number;
};

/**
 * The three limits, in order: the address's across names, then the name's from that address,
 * so a single address cannot use up a name's whole budget alone, then the name's from anywhere.
 */
export function loginLimiters({
  perUsername,
  perIp,
  perUsernameAndIp = 5,
  windowMs = 15 * 60_000,
  ...storeOptions
}: LoginLimiterOptions): RequestHandler[] {
  const message = `Too many failed login attempts. Please wait ${minutesOf(windowMs)} minutes and try again.`;
  const failuresOnly = {
    windowMs,
    skipSuccessfulRequests: true, // a failed login answers 401 or 422; a success redirects or answers 200
    legacyHeaders: false,
    handler: refuse(message),
  } as const;
  const ipKey = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');
  return [
    rateLimit({
      ...failuresOnly,
      limit: perIp,
      standardHeaders: 'draft-8',
      keyGenerator: ipKey,
      store: limitStore('shop:login-ip-limit:', storeOptions),
    }),
    rateLimit({
      ...failuresOnly,
      limit: perUsernameAndIp,
      standardHeaders: 'draft-8',
      keyGenerator: (req: Request) => `${nameKey(req)}|${ipKey(req)}`,
      store: limitStore('shop:login-limit:', storeOptions),
    }),
    rateLimit({
      ...failuresOnly,
      limit: perUsername,
      // No RateLimit headers: they would tell anyone how many failures *others* had on a
      // name. The 429 still says when to retry (refuse() in rate-limit.ts).
      standardHeaders: false,
      keyGenerator: nameKey,
      store: limitStore('shop:login-name-limit:', storeOptions),
    }),
  ];
}

/** The canonical username in the body, bounded in size: it is a key in memory or Redis. */
function nameKey(req: Request): string {
  const username: unknown = req.body?.username;
  return typeof username === 'string' ? usernameKey(username).slice(0, 64) : '';
}
