// What the shop's rate limits (login, sign-up, new sessions) share: their counts in
// Redis when the app is scaled out, and one way of saying no — 429 with Retry-After.
import type { NextFunction, Request, Response } from 'express';
import type { AugmentedRequest, Options, Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { RedisClientType } from 'redis';
import { UnavailableError, withTimeout } from '../unavailable.js';
import { HttpError } from './http-error.js';

export type LimitStoreOptions = {
  redis?: RedisClientType;
  redisTimeoutMs: number;
};

/** Redis when the app is scaled out (shared counts), else express-rate-limit's memory store. */
export function limitStore(prefix: string, { redis, redisTimeoutMs }: LimitStoreOptions): Store | undefined {
  if (!redis) return undefined;
  return new RedisStore({
    prefix,
    // Bounded like every Redis call: a hung Redis answers 503, it does not hang the request.
    // Only the timeout is mapped here: Redis's own errors must reach rate-limit-redis as they
    // are, since it reloads its script when one says NOSCRIPT (a Redis restarted empty).
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
