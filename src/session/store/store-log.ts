// What each request did to the session store, per session ID, for the inspector:
// was the session written in full (`set`), only renewed (`touch`), or neither
// (web/views/inspector-view.ts says why). Built only while the inspector is on (session/setup.ts); then each store write
// costs a map lookup and a push, and each request one small record.
import session, { type SessionData, type Store } from 'express-session';
import { BoundedMap } from '../../bounded-map.js';

export type StoreWrite = 'set' | 'touch' | 'destroy';
export type RequestTrace = {
  at: string;
  method: string;
  path: string;
  /** The store writes this request made, in order. */
  ops: StoreWrite[];
  /** The request came without a stored session: express-session made a new one. */
  arrivedNew: boolean;
  /** The session ID changed during the request (regenerate: login, logout, expiry). */
  regenerated: boolean;
};

const MAX_IDS = 1_000; // sessions remembered; the oldest goes first
const PER_ID = 8; // requests remembered per session

export class StoreLog {
  private readonly pending = new BoundedMap<string, StoreWrite[]>(MAX_IDS);
  private readonly traces = new BoundedMap<string, RequestTrace[]>(MAX_IDS);

  note(sid: string, op: StoreWrite): void {
    const ops = this.pending.get(sid);
    if (ops) ops.push(op);
    else this.pending.set(sid, [op]);
  }

  /** The writes noted for `sid` since the last take. */
  take(sid: string): StoreWrite[] {
    const ops = this.pending.get(sid) ?? [];
    this.pending.delete(sid);
    return ops;
  }

  add(sid: string, trace: RequestTrace): void {
    const list = this.traces.get(sid) ?? [];
    this.traces.delete(sid); // re-inserted last: the most recently used session is evicted last
    this.traces.set(sid, [...list, trace].slice(-PER_ID));
  }

  /** Oldest first. */
  recent(sid: string): RequestTrace[] {
    return this.traces.get(sid) ?? [];
  }
}

type Callback<T> = (err: unknown, value?: T) => void;

/** Passes every call on to `inner`, noting each write in `log`. */
export class RecordingStore extends session.Store {
  constructor(
    private readonly inner: Store,
    readonly log: StoreLog,
  ) {
    super();
  }

  get(sid: string, callback: Callback<SessionData | null>): void {
    this.inner.get(sid, callback);
  }

  set(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    this.log.note(sid, 'set');
    this.inner.set(sid, data, callback);
  }

  override touch(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const touch = this.inner.touch?.bind(this.inner);
    if (touch === undefined) {
      callback?.();
      return;
    }
    this.log.note(sid, 'touch');
    touch(sid, data, callback);
  }

  destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.log.note(sid, 'destroy');
    this.inner.destroy(sid, callback);
  }

  override length(callback: Callback<number>): void {
    const length = this.inner.length?.bind(this.inner);
    if (length === undefined) callback(new Error('this store cannot count its sessions'));
    else length(callback);
  }
}
