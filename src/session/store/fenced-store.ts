// Session writes fenced by the session lock, where both live in Redis. A request
// writes its session only while it still holds the lock (session/store/commit.ts). With
// Redis that check and the write are one script (LockHandle.writeFenced): no write
// can land in a gap between "still ours?" and the SET, and the save costs one round
// trip instead of two. Sessions written without a lock go to connect-redis as usual.
// And while the lock passes from request to request within this process, the next
// request loads the session the last one read or wrote without reading it from Redis.
// With REDIS_WAIT_REPLICAS, every write (not a touch) is answered only once that many
// replicas have it.
// A destroy is fenced in time instead: one that reaches Redis after its caller gave up
// (DESTROY_IN_TIME) deletes nothing, so a 503 never hides a session deleted after all.
import type { RedisStore } from 'connect-redis';
import session, { type SessionData } from 'express-session';
import { REPLICA_WINDOW, type Redis, sendCommand, WRITE_WINDOW, writeThenWait } from '../../redis.js';
import { UnavailableError } from '../../unavailable.js';
import { type Callback, promised, toCallback } from './callback.js';
import { type LockHandle, SessionLockLostError } from './lock.js';
import { DESTROY_IN_TIME } from './redis-lock-scripts.js';

type Fence = { lock: LockHandle; writeFenced: NonNullable<LockHandle['writeFenced']> };

/** The lock each request's session is written under, by session object. */
const fences = new WeakMap<object, Fence>();

/**
 * Writes of `data` (a request's session) from now on check `lock` as they write.
 * False when the lock cannot do that (it is not in Redis): the caller confirms it first.
 */
export function fenceWith(data: object, lock: LockHandle): boolean {
  if (lock.writeFenced === undefined) return false;
  fences.set(data, { lock, writeFenced: lock.writeFenced });
  return true;
}

/** What the session lock knows each locked session's key holds (RedisSessionLock). */
export type KnownSessions = {
  /**
   * The session as its lock knows it: read as the lock was taken, or written by a holder
   * before; null when there is none; undefined, ask Redis.
   */
  valueOf(sid: string, key: string): string | null | undefined;
  /** `key` is about to change other than by a fenced write: what was known of it is no longer sure. */
  forget(key: string): void;
};

export type FencedStoreOptions = {
  known?: KnownSessions;
  /**
   * The client connect-redis uses, for the writes made here instead: destroys fenced in
   * time (DESTROY_IN_TIME), and with REDIS_WAIT_REPLICAS unfenced writes and destroys, each
   * followed by WAIT, on `waiting` (redis.ts, writeThenWait). Fenced writes wait, and are
   * undone, inside the lock (redis-lock.ts). Unfenced writes without REDIS_WAIT_REPLICAS,
   * and everything without this option, go through connect-redis.
   */
  redis?: { client: Redis; callTimeoutMs: number; waitReplicas: number; waiting?: Redis };
};

/**
 * In front of connect-redis, which keeps each session at its prefix + ID, serialized,
 * expiring with the session's cookie: a fenced write stores exactly that.
 */
export class FencedStore extends session.Store {
  constructor(
    private readonly inner: RedisStore,
    private readonly options: FencedStoreOptions = {},
  ) {
    super();
  }

  get(sid: string, callback: Callback<SessionData | null>): void {
    const value = this.options.known?.valueOf(sid, this.keyOf(sid));
    if (value === undefined) {
      void this.inner.get(sid, callback);
      return;
    }
    toCallback(
      Promise.resolve().then(() => (value === null ? null : (this.inner.serializer.parse(value) as SessionData))),
      callback,
    );
  }

  set(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const fence = fences.get(data);
    toCallback(fence === undefined ? this.setUnfenced(sid, data) : this.setFenced(sid, data, fence), callback);
  }

  private async setFenced(sid: string, data: SessionData, fence: Fence): Promise<void> {
    const ttlSeconds = secondsLeft(data);
    if (ttlSeconds === undefined || ttlSeconds <= 0) {
      // Not a plain write (no expiry, or one already past, which connect-redis turns
      // into a delete): confirm the lock first, then write it as connect-redis would.
      if (!(await fence.lock.confirm())) throw new SessionLockLostError();
      await this.setUnfenced(sid, data);
      return;
    }
    const value = this.inner.serializer.stringify(data);
    if (!(await fence.writeFenced(this.keyOf(sid), value, ttlSeconds))) throw new SessionLockLostError();
  }

  /**
   * A write no lock checks as it writes: a new session, whose lock nobody holds, or one
   * whose lock was confirmed just before. With REDIS_WAIT_REPLICAS it is refused when no
   * replica confirms it; a new session's cookie is then never sent, and the copy the
   * primary may keep names nobody's session.
   */
  private async setUnfenced(sid: string, data: SessionData): Promise<void> {
    this.options.known?.forget(this.keyOf(sid));
    const { redis } = this.options;
    if (redis === undefined || redis.waitReplicas === 0) {
      await promised<void>((done) => void this.inner.set(sid, data, done));
      return;
    }
    // What connect-redis would send: the session expiring with its cookie, or a delete
    // for one already past; without an expiry, connect-redis's own ttl.
    const key = this.keyOf(sid);
    const ttlSeconds = secondsLeft(data) ?? (typeof this.inner.ttl === 'number' ? this.inner.ttl : 0);
    const value = this.inner.serializer.stringify(data);
    const words = ttlSeconds > 0 ? ['SET', key, value, 'EX', String(ttlSeconds)] : ['DEL', key];
    const decideBy = Date.now() + redis.callTimeoutMs * REPLICA_WINDOW;
    const { confirmed } = await writeThenWait(redis.waiting ?? redis.client, words, redis.waitReplicas, decideBy);
    if (!confirmed) throw new UnavailableError('sessions', 'unreplicated');
  }

  override touch(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    // A touch keeps the value, but an expiry already past deletes it.
    this.options.known?.forget(this.keyOf(sid));
    void this.inner.touch(sid, data, callback);
  }

  destroy(sid: string, callback?: (err?: unknown) => void): void {
    // Refused when it reaches Redis too late to delete (DESTROY_IN_TIME), so nothing was.
    // Waited for, but not refused, when no replica confirms it: a destroy cannot be undone,
    // and a login refused after its guest session was deleted would lose the guest's cart.
    // Unconfirmed, a destroyed session can come back should the primary die just then.
    toCallback(this.destroyThenWait(sid), callback);
  }

  private async destroyThenWait(sid: string): Promise<void> {
    this.options.known?.forget(this.keyOf(sid));
    const { redis } = this.options;
    if (redis === undefined) {
      await promised<void>((done) => void this.inner.destroy(sid, done));
      return;
    }
    const { client, waiting, waitReplicas, callTimeoutMs } = redis;
    const startedAt = Date.now();
    const deadline = String(startedAt + callTimeoutMs * WRITE_WINDOW);
    const destroy = ['EVAL', DESTROY_IN_TIME, '1', this.keyOf(sid), deadline];
    if (waitReplicas === 0) {
      if ((await sendCommand(client, destroy)) === -1) throw new UnavailableError('sessions');
      return;
    }
    // The WAIT ends by REPLICA_WINDOW, inside the store call's bound: a destroy answered 503
    // must not have deleted anything.
    const decideBy = startedAt + callTimeoutMs * REPLICA_WINDOW;
    const { reply } = await writeThenWait(waiting ?? client, destroy, waitReplicas, decideBy, (r) => r !== -1);
    if (reply === -1) throw new UnavailableError('sessions');
  }

  /** Where connect-redis keeps the session `sid`. */
  private keyOf(sid: string): string {
    return this.inner.prefix + sid;
  }

  override length(callback: Callback<number>): void {
    void this.inner.length(callback);
  }
}

/** Seconds until the session's cookie expires, rounded up as connect-redis does. */
function secondsLeft(data: SessionData): number | undefined {
  const expires = data.cookie?.expires;
  return expires ? Math.ceil((new Date(expires).getTime() - Date.now()) / 1000) : undefined;
}
