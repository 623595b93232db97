// TieredStore with stores that lack a method or fail: a store error reaches
// express-session's callback, never an unhandled rejection, and a store that
// cannot count says so instead of guessing.
import session, { type SessionData, type Store } from 'express-session';
import { describe, expect, it } from 'vitest';
import { TieredStore } from '../../src/session/store/tiered-store.js';

const cookie = { originalMaxAge: 60_000, maxAge: 60_000 } as SessionData['cookie'];
const guest = { cookie } as SessionData;
const withCart = { cookie, cart: { lines: [{ productId: 'p-001', quantity: 1 }] } } as SessionData;

const memory = (): Store => new session.MemoryStore();

/** A store whose every call fails, as a store that lost its connection does. */
function failing(): Store {
  const store = new session.MemoryStore();
  const refuse = (...args: unknown[]) => (args.at(-1) as (err: Error) => void)(new Error('store down'));
  return Object.assign(store, { get: refuse, set: refuse, destroy: refuse, length: refuse, touch: refuse });
}

const run = <T>(fn: (done: (err?: unknown, value?: T) => void) => void) =>
  new Promise<{ err: unknown; value: T | undefined }>((resolve) => fn((err, value) => resolve({ err, value })));

describe('TieredStore', () => {
  it('answers a touch at once when the tier cannot touch', async () => {
    const untouchable = Object.assign(memory(), { touch: undefined });
    const store = new TieredStore({ empty: untouchable, kept: memory() });
    const { err } = await run((done) => store.touch('sid', guest, done));
    expect(err).toBeUndefined();
  });

  it('hands a failing tier’s error to the callback of each call', async () => {
    const store = new TieredStore({ empty: failing(), kept: failing() });
    expect((await run((done) => store.get('sid', done))).err).toEqual(new Error('store down'));
    expect((await run((done) => store.set('sid', withCart, done))).err).toEqual(new Error('store down'));
    expect((await run((done) => store.set('sid', guest, done))).err).toEqual(new Error('store down'));
    expect((await run((done) => store.touch('sid', withCart, done))).err).toEqual(new Error('store down'));
    expect((await run((done) => store.destroy('sid', done))).err).toEqual(new Error('store down'));
    expect((await run<number>((done) => store.length(done))).err).toEqual(new Error('store down'));
  });

  it('refuses to count sessions in a tier that cannot count them', async () => {
    const uncountable = Object.assign(memory(), { length: undefined });
    const store = new TieredStore({ empty: uncountable, kept: memory() });
    const { err } = await run<number>((done) => store.length(done));
    expect(err).toEqual(new Error('this store cannot count its sessions'));
  });

  it('counts both tiers', async () => {
    const store = new TieredStore({ empty: memory(), kept: memory() });
    await run((done) => store.set('a', guest, done));
    await run((done) => store.set('b', withCart, done));
    expect((await run<number>((done) => store.length(done))).value).toBe(2);
  });
});
