// Failed logins are limited per username and IP (5 per 15 minutes by default);
// successful ones do not count. In Redis when the app runs on several instances.
import type { NextFunction, Request, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { RedisClientType } from 'redis';
import { UnavailableError, withTimeout } from '../unavailable.js';
import { HttpError } from './errors.js';

export type LoginLimiterOptions = {
  redis?: RedisClientType;
  redisTimeoutMs: number;
  limit?: number;
  windowMs?: number;
};

export function loginLimiter({ redis, redisTimeoutMs, limit = 5, windowMs = 15 * 60_000 }: LoginLimiterOptions) {
  return rateLimit({
    windowMs,
    limit,
    skipSuccessfulRequests: true, // a failed login answers 401 or 422; a success redirects or answers 200
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req: Request) => {
      const username: unknown = req.body?.username;
      const name = typeof username === 'string' ? username.trim().toLowerCase().slice(0, 64) : '';
      return `${name}|${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req: Request, _res: Response, next: NextFunction) => {
      const minutes = Math.ceil(windowMs / 60_000);
      next(new HttpError(429, `Too many failed login attempts. Please wait ${minutes} minutes and try again.`));
    },
    ...(redis
      ? {
          store: new RedisStore({
            prefix: 'shop:login-limit:',
            // Bounded like every Redis call: a hung Redis answers 503, it does not hang the login.
            sendCommand: (...args: string[]) =>
              withTimeout(redis.sendCommand(args), redisTimeoutMs, () => new UnavailableError('sessions')),
          }),
        }
      : {}),
  });
}
