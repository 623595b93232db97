// No lost updates. express-session loads a copy of the session when a request
// arrives and writes the whole object back when it ends, so two overlapping
// requests from one shopper (two tabs, a double click, parallel fetches) would
// each save their own copy and the last one would win. Requests carrying the same
// session cookie therefore take turns: lock → load → change → save → unlock.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { RedisClientType } from 'redis';
import { HttpError } from '../web/errors.js';

export type Release = () => Promise<void>;

export interface SessionLock {
  /** Resolves once the caller holds the lock for `key`; undefined when it waited too long. */
  acquire(key: string, waitMs: number): Promise<Release | undefined>;
}

/** One process: a promise chain per key. */
export class LocalSessionLock implements SessionLock {
  private readonly tails = new Map<string, Promise<void>>();

  async acquire(key: string, waitMs: number): Promise<Release | undefined> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    const done = async () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, waitMs, 'timeout');
    });
    const outcome = await Promise.race([previous.then(() => 'ok' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      // Give up our place, but only once those before us are done, to keep the chain intact.
      void previous.then(done);
      return undefined;
    }
    return done;
  }
}

// Deletes the key only if it still holds our token: never frees someone else's lock.
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/** Several processes: SET NX with a lease, so a crashed holder cannot block forever. */
export class RedisSessionLock implements SessionLock {
  constructor(
    private readonly redis: RedisClientType,
    private readonly leaseMs = 15_000,
    private readonly prefix = 'shop:lock:',
  ) {}

  async acquire(key: string, waitMs: number): Promise<Release | undefined> {
    const lockKey = this.prefix + key;
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    for (let attempt = 0; ; attempt++) {
      const set = await this.redis.set(lockKey, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: this.leaseMs },
      });
      if (set === 'OK') {
        return async () => {
          await this.redis.eval(RELEASE_SCRIPT, { keys: [lockKey], arguments: [token] });
        };
      }
      if (Date.now() >= deadline) return undefined;
      // Jitter keeps many waiters from retrying in lock-step.
      const backoff = Math.min(5 * 2 ** Math.min(attempt, 4), 50);
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * backoff));
    }
  }
}

/**
 * Mounted before express-session, so the session is loaded only once the lock is
 * held and is never stale. Keyed by the raw cookie value: a request without a
 * cookie gets a brand-new session that nobody else can be using.
 */
export function serializeBySession(lock: SessionLock, cookieName: string, waitMs = 10_000) {
  return async function serialize(req: Request, res: Response, next: NextFunction) {
    const key = readCookie(req.headers.cookie, cookieName);
    if (key === undefined) return next();
    const release = await lock.acquire(key, waitMs);
    if (release === undefined) throw new HttpError(503, 'Your session is busy with another request. Please try again.');
    let released = false;
    const unlock = () => {
      if (released) return;
      released = true;
      release().catch((err) => req.log?.warn({ err }, 'session lock release failed'));
    };
    // The client hung up while waiting: 'close' has fired already and would never
    // fire again, so give the lock back now and do no work for nobody.
    if (res.closed || req.destroyed) {
      unlock();
      return;
    }
    // express-session saves inside res.end(), before 'finish' fires: unlocking then is safe.
    res.once('finish', unlock);
    res.once('close', unlock);
    next();
  };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
