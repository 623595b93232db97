// What the shop's rate limits (login, sign-up, new sessions) share: their counts in
// Redis when the app is scaled out, and one way of saying no — 429 with Retry-After.
import type { NextFunction, Request, Response } from 'express';
import type { AugmentedRequest, Options, Store } from 'express-rate-limit';
import { type Redis, sendCommand } from '../../redis.js';
import { asUnavailable, UnavailableError, withTimeout } from '../../unavailable.js';
import { HttpError } from '../http/http-error.js';
import { isNoScript, RedisLimitCounters } from './limit-counters.js';

export type LimitStoreOptions = {
  redis?: Redis;
  redisTimeoutMs: number;
};

/**
 * Redis when the app is scaled out (shared counts, out of eviction's reach: limit-counters.ts),
 * else express-rate-limit's memory store.
 */
export function limitStore(prefix: string, { redis, redisTimeoutMs }: LimitStoreOptions): Store | undefined {
  if (!redis) return undefined;
  // Bounded like every Redis call, and its failures told like the session store's: a hung
  // Redis answers 503 "unavailable", a full one 503 "full", never a 500. NOSCRIPT alone
  // goes back as it is: the store then sends its script again (a Redis restarted empty).
  return new RedisLimitCounters(prefix, (args) =>
    withTimeout(sendCommand(redis, args), redisTimeoutMs, () => new UnavailableError('sessions')).catch(
      (err: unknown) => {
        throw isNoScript(err) ? err : asUnavailable('sessions', err);
      },
    ),
  );
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
