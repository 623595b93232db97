// The session store as express-session sees it: the real store (memorystore or
// Redis) behind two guards.
// - Every call is bounded: a hung or refusing store becomes UnavailableError
//   (503 "the session store is unavailable") instead of a hang or a 500. A write
//   refused because its session lock was lost (session/store/fenced-store.ts) stays a
//   SessionLockLostError: the store is fine, the request took too long.
// - Once session/store/commit.ts has written a request's session, express-session's own
//   write at the end of the response (a touch, for `rolling`) is skipped: it would
//   repeat the work, and after a refused write it would only fail again.
// - A touch that would move the stored expiry by less than TOUCH_AFTER_MS is skipped
//   too, as connect-mongo's `touchAfter` does: with `rolling`, every request would
//   otherwise rewrite (memorystore) or re-expire (Redis) a session that did not change.
import session, { type SessionData, type Store } from 'express-session';
import { asUnavailable, UnavailableError, withTimeout } from '../../unavailable.js';
import { type Callback, promised, toCallback } from './callback.js';
import { SessionLockLostError } from './lock.js';

/**
 * How far a touch must push the stored expiry to be worth a store call. The stored
 * copy may so expire up to this long before the browser's cookie: a minute, against
 * lifetimes of half an hour and more.
 */
export const TOUCH_AFTER_MS = 60_000;

const COMMITTED = Symbol('session committed by this request');

/** Marks a request's session as written (or refused) already; see the header. */
export function markCommitted(data: object): void {
  Object.defineProperty(data, COMMITTED, { value: true, enumerable: false });
}

function isCommitted(data: object): boolean {
  return COMMITTED in data;
}

/** When the stored copy of each request's session expires (epoch ms), by session object. */
const storedExpiry = new WeakMap<object, number>();

/**
 * Notes when the stored copy of a just-loaded session expires. Call it before
 * anything renews the cookie (express-session does on the way out, for `rolling`).
 */
export function noteStoredExpiry(data: Pick<SessionData, 'cookie'>): void {
  const expires = data.cookie.expires;
  if (expires) storedExpiry.set(data, new Date(expires).getTime());
}

/** The touch would move the stored expiry forward by less than TOUCH_AFTER_MS. */
function touchIsPremature(data: SessionData): boolean {
  const stored = storedExpiry.get(data);
  const expires = data.cookie.expires;
  if (stored === undefined || !expires) return false;
  const gain = new Date(expires).getTime() - stored;
  return gain >= 0 && gain < TOUCH_AFTER_MS;
}

/** Told how long each store call took, successful or not (metrics.ts). */
export type StoreObserver = (operation: string, seconds: number) => void;

export class GuardedStore extends session.Store {
  constructor(
    private readonly inner: Store,
    /** Undefined for a store in this process's memory, which cannot hang. */
    private readonly timeoutMs?: number,
    private readonly observe?: StoreObserver,
  ) {
    super();
  }

  get(sid: string, callback: Callback<SessionData | null>): void {
    this.run<SessionData | null | undefined>(
      'get',
      (done) => this.inner.get(sid, done),
      (err, value) => callback(err, value ?? null),
    );
  }

  set(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    if (isCommitted(data)) {
      callback?.();
      return;
    }
    this.run(
      'set',
      (done) => this.inner.set(sid, data, done),
      (err) => callback?.(err),
    );
  }

  override touch(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const touch = this.inner.touch?.bind(this.inner);
    if (touch === undefined || isCommitted(data) || touchIsPremature(data)) {
      callback?.();
      return;
    }
    this.run(
      'touch',
      (done) => touch(sid, data, (err?: unknown) => done(err)),
      (err) => callback?.(err),
    );
  }

  destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.run(
      'destroy',
      (done) => this.inner.destroy(sid, done),
      (err) => callback?.(err),
    );
  }

  override length(callback: Callback<number>): void {
    const length = this.inner.length?.bind(this.inner);
    if (length === undefined) {
      callback(new Error('this store cannot count its sessions'));
      return;
    }
    this.run<number>('length', (done) => length(done), callback);
  }

  /** Calls the inner store, bounded, and maps its failures to UnavailableError (see refusal). */
  private run<T>(operation: string, call: (done: Callback<T>) => void, callback: Callback<T>): void {
    const observe = this.observe;
    if (observe) {
      const started = performance.now();
      const inner = callback;
      callback = (err, value) => {
        observe(operation, (performance.now() - started) / 1000);
        inner(err, value);
      };
    }
    if (this.timeoutMs === undefined) {
      // In this process's memory: nothing to bound, so no promise and no timer either.
      let answered = false;
      try {
        call((err, value) => {
          answered = true;
          if (err) callback(refusal(err));
          else callback(null, value);
        });
      } catch (err) {
        if (answered) throw err; // thrown by the caller's callback, not by the store
        callback(refusal(err));
      }
      return;
    }
    const bounded = withTimeout(promised(call), this.timeoutMs, () => new UnavailableError('sessions'));
    toCallback(
      bounded.catch((err: unknown) => {
        throw refusal(err);
      }),
      callback,
    );
  }
}

/** A store failure is the store being unavailable; a fenced write refused for a lost lock is not. */
function refusal(err: unknown): Error {
  return err instanceof SessionLockLostError ? err : asUnavailable('sessions', err);
}
