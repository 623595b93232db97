// A session the store could not read is left alone. express-session, told to destroy a
// session that is gone by the end of a response (`unset: 'destroy'`, for logout), also
// finds "no session" at the end of a request whose session never loaded: it would
// destroy the very session it failed to read, so a 503 for a slow or failing-over store
// would wipe the cart it could not read (and a Redis client sends the DEL late, to the
// primary that comes back).
import type { Store } from 'express-session';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/unavailable.js';
import { cartOf, json, makeShop, quantities, type Shop } from '../helpers/shop.js';

let shop: Shop;
beforeEach(async () => {
  shop = await makeShop();
});

/** The session store fails its next read (as a Redis that is slow, gone or failing over would). */
function refuseNextSessionRead(store: Store): void {
  const get = store.get.bind(store);
  store.get = (_sid, callback) => {
    store.get = get;
    callback(new UnavailableError('sessions'));
  };
}

/** Counts the store's destroys from now on. */
function countDestroys(store: Store): () => number {
  const destroy = store.destroy.bind(store);
  let count = 0;
  store.destroy = (sid, callback) => {
    count++;
    destroy(sid, callback);
  };
  return () => count;
}

describe('a request whose session could not be read', () => {
  it('is answered 503 and leaves the stored session, cart and all, as it was', async () => {
    const agent = request.agent(shop.app);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 3 }).expect(200);
    const destroys = countDestroys(shop.services.sessionStore);
    refuseNextSessionRead(shop.services.sessionStore);

    const refused = await agent.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 1 }).expect(503);

    expect(refused.body.error).toMatch(/session store is unavailable/i);
    expect(destroys()).toBe(0);
    expect(quantities(await cartOf(agent))).toEqual({ 'p-001': 3 });
  });

  it('keeps a page view (GET) from destroying the session too', async () => {
    const agent = request.agent(shop.app);
    await agent.post('/cart/items').set(json).send({ productId: 'p-003', quantity: 2 }).expect(200);
    refuseNextSessionRead(shop.services.sessionStore);

    await agent.get('/cart').set(json).expect(503);

    expect(quantities(await cartOf(agent))).toEqual({ 'p-003': 2 });
  });
});
