// Two bounded stores behind one: sessions worth keeping (a cart or a user) in the
// `kept` tier, everything else in the `empty` tier. With saveUninitialized every
// cookieless request stores an empty session; sharing one LRU with carts, a flood
// of them would evict the carts. Here it can only evict other empty sessions.
import session, { type SessionData, type Store } from 'express-session';
import { worthKeeping } from '../data.js';
import { type Callback, promised, toCallback } from './callback.js';

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
    toCallback(this.find(sid), callback);
  }

  /** Promotes a session that gained a cart or a user; demotes one that lost both. */
  set(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const { empty, kept } = this.tiers;
    const write = worthKeeping(data)
      ? async () => {
          await promised<void>((done) => kept.set(sid, data, done));
          await promised<void>((done) => empty.destroy(sid, done));
        }
      : async () => {
          await promised<void>((done) => kept.destroy(sid, done));
          await promised<void>((done) => empty.set(sid, data, done));
        };
    toCallback(write(), callback);
  }

  /** A touch never changes the data, so the session is in the tier its data names. */
  override touch(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    const tier = worthKeeping(data) ? this.tiers.kept : this.tiers.empty;
    const touch = tier.touch?.bind(tier);
    if (touch === undefined) {
      callback?.();
      return;
    }
    toCallback(
      promised<void>((done) => touch(sid, data, (err?: unknown) => done(err))),
      callback,
    );
  }

  destroy(sid: string, callback?: (err?: unknown) => void): void {
    const both = Promise.all([
      promised<void>((done) => this.tiers.kept.destroy(sid, done)),
      promised<void>((done) => this.tiers.empty.destroy(sid, done)),
    ]);
    toCallback(both, callback);
  }

  override length(callback: Callback<number>): void {
    const count = async () => (await countOf(this.tiers.kept)) + (await countOf(this.tiers.empty));
    toCallback(count(), callback);
  }

  private async find(sid: string): Promise<SessionData | null> {
    const kept = await promised<SessionData | null>((done) => this.tiers.kept.get(sid, done));
    if (kept) return kept;
    return (await promised<SessionData | null>((done) => this.tiers.empty.get(sid, done))) ?? null;
  }
}

async function countOf(store: Store): Promise<number> {
  const length = store.length?.bind(store);
  if (length === undefined) throw new Error('this store cannot count its sessions');
  return (await promised<number>((done) => length(done))) ?? 0;
}
