// Failed logins are limited twice: per username and IP (5 per 15 minutes), and per
// username alone whatever the IP (LOGIN_USERNAME_LIMIT, 20 per 15 minutes), so an
// attacker rotating addresses is stopped too. Successful logins do not count. Names
// are counted by their canonical key, the one a login finds the account by, without
// looking the name up: an unknown name is limited exactly like a known one. In Redis
// when the app runs on several instances. The helpers below serve register-limit.ts too.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type AugmentedRequest, ipKeyGenerator, type Options, rateLimit, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { RedisClientType } from 'redis';
import { usernameKey } from '../accounts/usernames.js';
import { UnavailableError, withTimeout } from '../unavailable.js';
import { HttpError } from './http-error.js';

export type LimitStoreOptions = {
  redis?: RedisClientType;
  redisTimeoutMs: number;
};

export type LoginLimiterOptions = LimitStoreOptions & {
  /** Failures per username from any IP in one window. */
  perUsername: number;
  perUsernameAndIp?: number;
  windowMs?: number;
};

/** Both limits, in order: the per-IP one first, so a single address cannot use up a name's whole budget alone. */
export function loginLimiters({
  perUsername,
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
  return [
    rateLimit({
      ...failuresOnly,
      limit: perUsernameAndIp,
      standardHeaders: 'draft-8',
      keyGenerator: (req: Request) => `${nameKey(req)}|${ipKeyGenerator(req.ip ?? 'unknown')}`,
      store: limitStore('shop:login-limit:', storeOptions),
    }),
    rateLimit({
      ...failuresOnly,
      limit: perUsername,
      // No RateLimit headers: they would tell anyone how many failures *others* had on a
      // name. The 429 still says when to retry (refuse() below).
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

/** Redis when the app is scaled out (shared counts), else express-rate-limit's memory store. */
export function limitStore(prefix: string, { redis, redisTimeoutMs }: LimitStoreOptions): Store | undefined {
  if (!redis) return undefined;
  return new RedisStore({
    prefix,
    // Bounded like every Redis call: a hung Redis answers 503, it does not hang the request.
    sendCommand: (...args: string[]) =>
      withTimeout(redis.sendCommand(args), redisTimeoutMs, () => new UnavailableError('sessions')),
  });
}

/** Answers 429 with `message` through the error handler, always with Retry-After in seconds. */
export function refuse(message: string) {
  return (req: Request, res: Response, next: NextFunction, options: Options) => {
    if (!res.hasHeader('Retry-After')) {
      const resetTime = (req as AugmentedRequest)[options.requestPropertyName]?.resetTime;
      const ms = resetTime ? resetTime.getTime() - Date.now() : options.windowMs;
      res.set('Retry-After', String(Math.max(1, Math.ceil(ms / 1000))));
    }
    next(new HttpError(429, message));
  };
}

export function minutesOf(windowMs: number): number {
  return Math.ceil(windowMs / 60_000);
}
