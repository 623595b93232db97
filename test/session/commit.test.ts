// Answers after the save (session/store/commit.ts): a changed session is written once, with
// its lock confirmed, before the answer goes out; a write that is refused, or a lock that
// was lost, answers 503 and leaves the session, its cookie and the answer's headers as
// if the request had never changed anything.
import type { Store } from 'express-session';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionLock } from '../../src/session/store/lock.js';
import { UnavailableError } from '../../src/unavailable.js';
import { cartOf, json, makeShop, postForm, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeEach(async () => {
  shop = await makeShop({ demoAccounts: false });
});

/** Counts the store's writes, and can hold the next one until the test lets it through. */
function watchWrites(store: Store) {
  const set = store.set.bind(store);
  const watch = { writes: 0, held: undefined as (() => void) | undefined, hold: false };
  store.set = (sid, data, callback) => {
    watch.writes++;
    if (!watch.hold) return set(sid, data, callback);
    watch.hold = false;
    watch.held = () => set(sid, data, callback);
  };
  return watch;
}

/** The store refuses its next write (as a Redis that is full or gone would). */
function refuseNextWrite(store: Store): void {
  const set = store.set.bind(store);
  store.set = (_sid, _data, callback) => {
    store.set = set;
    callback?.(new UnavailableError('sessions'));
  };
}

/** From now on, every lock the shop takes is found lost when the session is about to be written. */
function loseEveryLock(lock: SessionLock): void {
  const tryAcquire = lock.tryAcquire?.bind(lock);
  lock.tryAcquire = (key) => {
    const handle = tryAcquire?.(key);
    return handle && { ...handle, confirm: async () => false };
  };
}

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('a request that changes the session', () => {
  it('writes it once, and answers only once the write is done', async () => {
    const { agent } = await visitor(shop);
    const watch = watchWrites(shop.services.sessionStore);
    watch.hold = true;
    let answered = false;
    const adding = agent
      .post('/cart/items')
      .set(json)
      .send({ productId: 'p-001' })
      .then((res) => {
        answered = true;
        return res;
      });
    while (watch.held === undefined) await ticks(1);
    await ticks(20);
    expect(answered).toBe(false);
    watch.held();
    expect((await adding).status).toBe(200);
    expect(watch.writes).toBe(1);
    expect((await cartOf(agent)).count).toBe(1);
  });

  it('writes nothing for a request that changes nothing', async () => {
    const { agent } = await visitor(shop);
    const watch = watchWrites(shop.services.sessionStore);
    await agent.get('/cart').set(json).expect(200);
    expect(watch.writes).toBe(0);
  });
});

describe('a refused session write', () => {
  it('answers 503 to a form, with neither the redirect nor its headers, and the page shows the cart as stored', async () => {
    const shopper = await visitor(shop);
    await postForm(shopper, '/cart/items', { productId: 'p-001', quantity: '1' }).expect(303);
    refuseNextWrite(shop.services.sessionStore);

    const refused = await postForm(shopper, '/cart/items', { productId: 'p-002', quantity: '2' });

    expect(refused.status).toBe(503);
    expect(refused.headers.location).toBeUndefined();
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.text).toMatch(/data-cart-count>1</);
    expect((await cartOf(shopper.agent)).count).toBe(1);
  });

  it('answers 503 in JSON, keeps the stored cart, and the cookie keeps a cart’s lifetime', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    refuseNextWrite(shop.services.sessionStore);

    const refused = await agent.post('/cart/clear').set(json).send({});

    expect(refused.status).toBe(503);
    const expires = /Expires=([^;]+)/.exec(String(refused.headers['set-cookie']))?.[1];
    expect(Date.parse(expires ?? '') - Date.now()).toBeGreaterThan(24 * 3600_000); // a week, not half an hour
    expect((await cartOf(agent)).count).toBe(2);
  });

  it('sends no cookie for a session made for the refused request itself', async () => {
    refuseNextWrite(shop.services.sessionStore);
    const refused = await request(shop.app).post('/cart/items').set(json).send({ productId: 'p-001' });
    expect(refused.status).toBe(503);
    expect(refused.headers['set-cookie']).toBeUndefined();
  });
});

describe('a lock lost before the write', () => {
  it('refuses the change with 503 and stores nothing', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    loseEveryLock(shop.services.lock);

    const refused = await agent.post('/cart/items').set(json).send({ productId: 'p-002' });

    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatch(/took too long/);
    expect((await cartOf(agent)).lines.map((l: { productId: string }) => l.productId)).toEqual(['p-001']);
  });

  it('does not matter to a request that changes nothing', async () => {
    const { agent } = await visitor(shop);
    loseEveryLock(shop.services.lock);
    await agent.get('/cart').set(json).expect(200);
  });
});
