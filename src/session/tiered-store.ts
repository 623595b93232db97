// Two bounded stores behind one: sessions worth keeping (a cart or a user) in the
// `kept` tier, everything else in the `empty` tier. With saveUninitialized every
// cookieless request stores an empty session; sharing one LRU with carts, a flood
// of them would evict the carts. Here it can only evict other empty sessions.
import session, { type SessionData, type Store } from 'express-session';
import { worthKeeping } from './data.js';

type Callback<T> = (err: unknown, value?: T) => void;

export type Tiers = {
  /** Sessions holding nothing worth keeping: a passing visitor, a bot. */
  empty: Store;
  /** Sessions holding a cart or a user. */
  kept: Store;
};

export class TieredStore extends session.Store {
  constructor(private readonly tiers: Tiers) {
    super();
  }

  // `kept` is read first, so it is the authority: every write below makes `kept`
  // right before it touches `empty`. A failure half-way leaves at worst a stale copy
  // in `empty`, hidden behind `kept`, or loses an empty session — never leaves a stale
  // cart in `kept` that would shadow a newer write.

  get(sid: string, callback: Callback<SessionData | null>): void {
    settle(this.find(sid), callback);
  }

  /** Promotes a session that gained a cart or a user; demotes one that lost both. */
  set(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const { empty, kept } = this.tiers;
    const write = worthKeeping(data)
      ? async () => {
          await call<void>((done) => kept.set(sid, data, done));
          await call<void>((done) => empty.destroy(sid, done));
        }
      : async () => {
          await call<void>((done) => kept.destroy(sid, done));
          await call<void>((done) => empty.set(sid, data, done));
        };
    settle(write(), callback);
  }

  /** A touch never changes the data, so the session is in the tier its data names. */
  override touch(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const tier = worthKeeping(data) ? this.tiers.kept : this.tiers.empty;
    const touch = tier.touch?.bind(tier);
    if (touch === undefined) {
      callback?.();
      return;
    }
    settle(
      call<void>((done) => touch(sid, data, (err?: unknown) => done(err))),
      callback,
    );
  }

  destroy(sid: string, callback?: (err?: unknown) => void): void {
    const both = Promise.all([
      call<void>((done) => this.tiers.kept.destroy(sid, done)),
      call<void>((done) => this.tiers.empty.destroy(sid, done)),
    ]);
    settle(both, callback);
  }

  override length(callback: Callback<number>): void {
    const count = async () => (await countOf(this.tiers.kept)) + (await countOf(this.tiers.empty));
    settle(count(), callback);
  }

  private async find(sid: string): Promise<SessionData | null> {
    const kept = await call<SessionData | null>((done) => this.tiers.kept.get(sid, done));
    if (kept) return kept;
    return (await call<SessionData | null>((done) => this.tiers.empty.get(sid, done))) ?? null;
  }
}

async function countOf(store: Store): Promise<number> {
  const length = store.length?.bind(store);
  if (length === undefined) throw new Error('this store cannot count its sessions');
  return (await call<number>((done) => length(done))) ?? 0;
}

/** A callback-style store call as a promise. */
function call<T>(fn: (done: Callback<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** Hands a promise's outcome to a store callback. */
function settle<T>(work: Promise<T>, callback?: Callback<T>): void {
  work.then(
    (value) => callback?.(null, value),
    (err: unknown) => callback?.(err),
  );
}
