// The session store as express-session sees it: the real store (memorystore or
// Redis) behind two guards.
// - Every call is bounded: a hung or refusing store becomes UnavailableError
//   (503 "the session store is unavailable") instead of a hang or a 500.
// - Once session/commit.ts has written a request's session, express-session's own
//   write at the end of the response (a touch, for `rolling`) is skipped: it would
//   repeat the work, and after a refused write it would only fail again.
import session, { type SessionData, type Store } from 'express-session';
import { callDependency } from '../unavailable.js';

const COMMITTED = Symbol('session committed by this request');

/** Marks a request's session as written (or refused) already; see the header. */
export function markCommitted(data: object): void {
  Object.defineProperty(data, COMMITTED, { value: true, enumerable: false });
}

function isCommitted(data: object): boolean {
  return COMMITTED in data;
}

type Callback<T> = (err: unknown, value?: T) => void;

export class GuardedStore extends session.Store {
  constructor(
    private readonly inner: Store,
    /** Undefined for a store in this process's memory, which cannot hang. */
    private readonly timeoutMs?: number,
  ) {
    super();
  }

  get(sid: string, callback: Callback<SessionData | null>): void {
    this.run<SessionData | null | undefined>(
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
      (done) => this.inner.set(sid, data, done),
      (err) => callback?.(err),
    );
  }

  override touch(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const touch = this.inner.touch?.bind(this.inner);
    if (touch === undefined || isCommitted(data)) {
      callback?.();
      return;
    }
    this.run(
      (done) => touch(sid, data, (err?: unknown) => done(err)),
      (err) => callback?.(err),
    );
  }

  destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.run(
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
    this.run<number>((done) => length(done), callback);
  }

  /** Calls the inner store, bounded, and maps its failures to UnavailableError. */
  private run<T>(call: (done: Callback<T>) => void, callback: Callback<T>): void {
    const work = new Promise<T | undefined>((resolve, reject) => {
      call((err, value) => (err ? reject(err) : resolve(value)));
    });
    callDependency('sessions', work, this.timeoutMs).then(
      (value) => callback(null, value),
      (err: unknown) => callback(err),
    );
  }
}
