// Session writes fenced by the session lock, where both live in Redis. A request
// writes its session only while it still holds the lock (session/commit.ts). With
// Redis that check and the write are one script (LockHandle.writeFenced): no write
// can land in a gap between "still ours?" and the SET, and the save costs one round
// trip instead of two. Sessions written without a lock (or a lock that cannot fence)
// go to the store as usual.
import session, { type SessionData, type Store } from 'express-session';
import { type LockHandle, SessionLockLostError } from './lock.js';

type Callback<T> = (err: unknown, value?: T) => void;

/** The lock each request's session is written under, by session object. */
const fences = new WeakMap<object, LockHandle>();

/** Writes of `data` (a request's session) from now on go through `lock`. */
export function fenceWith(data: object, lock: LockHandle): void {
  fences.set(data, lock);
}

/**
 * `inner` is connect-redis's store, keeping each session at `prefix` + its ID as
 * JSON that expires with the session's cookie: a fenced write stores exactly that.
 */
export class FencedStore extends session.Store {
  constructor(
    private readonly inner: Store,
    private readonly prefix: string,
  ) {
    super();
  }

  get(sid: string, callback: Callback<SessionData | null>): void {
    this.inner.get(sid, callback);
  }

  set(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const lock = fences.get(data);
    if (lock === undefined) {
      this.inner.set(sid, data, callback);
      return;
    }
    const refused = (err: unknown) => callback?.(err);
    const ttlSeconds = secondsLeft(data);
    if (lock.writeFenced === undefined || ttlSeconds === undefined || ttlSeconds <= 0) {
      // Not a plain write (no expiry, or one already past, which the inner store turns
      // into a delete): confirm the lock first, then let the inner store do it.
      lock.confirm().then((held) => {
        if (held) this.inner.set(sid, data, callback);
        else callback?.(new SessionLockLostError());
      }, refused);
      return;
    }
    lock
      .writeFenced(this.prefix + sid, JSON.stringify(data), ttlSeconds)
      .then((written) => callback?.(written ? undefined : new SessionLockLostError()), refused);
  }

  override touch(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    if (this.inner.touch) this.inner.touch(sid, data, callback);
    else callback?.();
  }

  destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.inner.destroy(sid, callback);
  }

  override length(callback: Callback<number>): void {
    if (this.inner.length) this.inner.length(callback);
    else callback(new Error('this store cannot count its sessions'));
  }
}

/** Seconds until the session's cookie expires, rounded up as connect-redis does. */
function secondsLeft(data: SessionData): number | undefined {
  const expires = data.cookie?.expires;
  return expires ? Math.ceil((new Date(expires).getTime() - Date.now()) / 1000) : undefined;
}
