// The store as express-session sees it (session/store/guarded-store.ts): failures become
// UnavailableError, and a touch that would barely move the stored expiry is skipped.
import session, { type SessionData } from 'express-session';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { GuardedStore, noteStoredExpiry, TOUCH_AFTER_MS } from '../../src/session/store/guarded-store.js';
import { UnavailableError } from '../../src/unavailable.js';
import { makeShop } from '../helpers/shop.js';

/** An in-memory store that records the touches it receives and can be told to fail. */
class RecordingStore extends session.Store {
  readonly touched: string[] = [];
  failWith: Error | undefined;
  throwWith: Error | undefined;
  get(_sid: string, callback: (err: unknown, data?: SessionData | null) => void): void {
    if (this.throwWith) throw this.throwWith;
    callback(this.failWith ?? null, null);
  }
  set(_sid: string, _data: SessionData, callback?: (err?: unknown) => void): void {
    callback?.(this.failWith);
  }
  destroy(_sid: string, callback?: (err?: unknown) => void): void {
    callback?.();
  }
  override touch(sid: string, _data: SessionData, callback?: () => void): void {
    this.touched.push(sid);
    callback?.();
  }
}

/** A loaded session whose stored copy expires at `storedAt`, renewed to expire at `renewedTo`. */
function sessionRenewed(storedAt: number, renewedTo: number): SessionData {
  const data = { cookie: { originalMaxAge: 1_800_000, expires: new Date(storedAt) } } as SessionData;
  noteStoredExpiry(data);
  data.cookie.expires = new Date(renewedTo);
  return data;
}

const touch = (store: GuardedStore, data: SessionData) =>
  new Promise<void>((resolve, reject) => store.touch('sid-1', data, (err) => (err ? reject(err) : resolve())));

describe('GuardedStore.touch', () => {
  const stored = Date.parse('2026-11-28T10:00:00Z');

  it('skips a touch that would move the stored expiry by less than TOUCH_AFTER_MS', async () => {
    const inner = new RecordingStore();
    await touch(new GuardedStore(inner), sessionRenewed(stored, stored + TOUCH_AFTER_MS - 1));
    expect(inner.touched).toEqual([]);
  });

  it('passes on a touch that moves it by TOUCH_AFTER_MS or more', async () => {
    const inner = new RecordingStore();
    await touch(new GuardedStore(inner), sessionRenewed(stored, stored + TOUCH_AFTER_MS));
    expect(inner.touched).toEqual(['sid-1']);
  });

  it('passes on a touch that brings the expiry closer (a shorter lifetime)', async () => {
    const inner = new RecordingStore();
    await touch(new GuardedStore(inner), sessionRenewed(stored, stored - 1000));
    expect(inner.touched).toEqual(['sid-1']);
  });

  it('passes on a touch of a session whose stored expiry was never noted', async () => {
    const inner = new RecordingStore();
    const data = { cookie: { originalMaxAge: 1_800_000, expires: new Date(stored) } } as SessionData;
    await touch(new GuardedStore(inner), data);
    expect(inner.touched).toEqual(['sid-1']);
  });
});

describe('GuardedStore on a store in memory (no timeout)', () => {
  const get = (store: GuardedStore) => new Promise<unknown>((resolve) => store.get('sid-1', (err) => resolve(err)));

  it('turns an error the store answers with into UnavailableError', async () => {
    const inner = new RecordingStore();
    inner.failWith = new Error('out of memory');
    const err = await get(new GuardedStore(inner));
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).cause).toBe(inner.failWith);
  });

  it('turns an error the store throws into UnavailableError', async () => {
    const inner = new RecordingStore();
    inner.throwWith = new Error('corrupt entry');
    const err = await get(new GuardedStore(inner));
    expect(err).toBeInstanceOf(UnavailableError);
  });

  it('lets an error thrown by the caller’s own callback through, answering only once', () => {
    const store = new GuardedStore(new RecordingStore());
    let calls = 0;
    expect(() =>
      store.get('sid-1', () => {
        calls += 1;
        throw new Error('the caller’s bug');
      }),
    ).toThrow('the caller’s bug');
    expect(calls).toBe(1);
  });
});

describe('a shopper browsing without changing the session', () => {
  it('costs the store no touch on each request, yet keeps the session', async () => {
    const shop = await makeShop();
    const agent = request.agent(shop.app);
    await agent.post('/cart/items').set('accept', 'application/json').send({ productId: 'p-001' }).expect(200);
    const store = shop.services.sessionStore;
    let touches = 0;
    // Count what reaches the memorystore tiers behind the guard (its private `inner`).
    const inner = (store as unknown as { inner: { touch: (...args: unknown[]) => void } }).inner;
    const innerTouch = inner.touch.bind(inner);
    inner.touch = (...args: unknown[]) => {
      touches += 1;
      innerTouch(...args);
    };
    for (let i = 0; i < 3; i++) await agent.get('/cart').set('accept', 'application/json').expect(200);
    expect(touches).toBe(0);
    const cart = (await agent.get('/cart').set('accept', 'application/json').expect(200)).body;
    expect(JSON.stringify(cart)).toContain('p-001');
  });
});
