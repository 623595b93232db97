// An answer is the truth: a request answered with an error has changed nothing, in the
// session store or in the database, and the shopper can simply try again.
import type { Store } from 'express-session';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/unavailable.js';
import { cartOf, cartWith, json, makeShop, quantities, type Shop, sessionCookie } from '../helpers/shop.js';

let shop: Shop;
beforeEach(async () => {
  shop = await makeShop();
});

const RAVI = { username: 'ravi', password: 'ravi-demo-pass' };

async function raviId(): Promise<string> {
  const user = await shop.services.users.find('ravi');
  if (!user) throw new Error('no user ravi');
  return user.id;
}

const login = (agent: request.Agent) => agent.post('/login').set(json).send(RAVI);

async function guestWithCart() {
  const agent = request.agent(shop.app);
  const added = await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 3 }).expect(200);
  guestCookie = sessionCookie(added);
  return agent;
}
let guestCookie: string | undefined;

/** The session store refuses its next write (as a Redis that is full or gone would). */
function refuseNextSessionWrite(store: Store): void {
  const set = store.set.bind(store);
  store.set = (_sid, _data, callback) => {
    store.set = set;
    callback?.(new UnavailableError('sessions'));
  };
}

/** The database answers the next call of `method` with "unavailable" (a lock held past the timeout). */
function failNext<T extends object, K extends keyof T>(target: T, method: K): void {
  const original = target[method];
  target[method] = (async () => {
    target[method] = original;
    throw new UnavailableError('database');
  }) as T[K];
}

describe('POST /login, refused', () => {
  it('leaves the shopper a guest with the guest cart when the saved cart cannot be read, and the retry merges it', async () => {
    await shop.services.savedCarts.save(await raviId(), cartWith(['p-004', 1]));
    const agent = await guestWithCart();
    failNext(shop.services.savedCarts, 'load');

    await login(agent).expect(503);

    expect(quantities(await cartOf(agent))).toEqual({ 'p-001': 3 });
    await agent.get('/account').set(json).expect(401);
    const retried = await login(agent).expect(200);
    expect(quantities(retried.body.cart)).toEqual({ 'p-001': 3, 'p-004': 1 });
  });

  it('leaves the guest cart, the saved cart and the preferences as they were when the session write fails', async () => {
    await shop.services.savedCarts.save(await raviId(), cartWith(['p-004', 1]));
    const agent = await guestWithCart();
    await agent.post('/preferences').set(json).send({ theme: 'dark' }).expect(200);
    refuseNextSessionWrite(shop.services.sessionStore);

    const refused = await login(agent).expect(503);

    // The browser keeps its guest cookie (renewed, as `rolling` renews it on every answer).
    expect(sessionCookie(refused) ?? guestCookie).toBe(guestCookie);
    expect(quantities(await shop.services.savedCarts.load(await raviId()))).toEqual({ 'p-004': 1 });
    expect((await shop.services.users.find('ravi'))?.prefs).toEqual({});
    expect(quantities(await cartOf(agent))).toEqual({ 'p-001': 3 });
    await agent.get('/account').set(json).expect(401);
    const retried = await login(agent).expect(200);
    expect(quantities(retried.body.cart)).toEqual({ 'p-001': 3, 'p-004': 1 });
  });

  it('writes nothing when the preferences cannot be saved', async () => {
    const agent = await guestWithCart();
    await agent.post('/preferences').set(json).send({ theme: 'dark' }).expect(200);
    failNext(shop.services.users, 'savePrefs');

    await login(agent).expect(503);

    expect((await shop.services.savedCarts.load(await raviId())).lines).toEqual([]);
    expect(quantities(await cartOf(agent))).toEqual({ 'p-001': 3 });
    await agent.get('/account').set(json).expect(401);
  });
});

describe('POST /register, refused', () => {
  const MAYA = { username: 'maya', password: 'maya-long-password' };

  it('leaves no account behind when the session write fails, so the retry creates it', async () => {
    const agent = await guestWithCart();
    refuseNextSessionWrite(shop.services.sessionStore);

    await agent.post('/register').set(json).send(MAYA).expect(503);

    expect(await shop.services.users.find('maya')).toBeUndefined();
    expect(quantities(await cartOf(agent))).toEqual({ 'p-001': 3 });
    const retried = await agent.post('/register').set(json).send(MAYA).expect(201);
    expect(quantities(retried.body.cart)).toEqual({ 'p-001': 3 });
    expect(quantities(await shop.services.savedCarts.load((await shop.services.users.find('maya'))?.id ?? ''))).toEqual(
      { 'p-001': 3 },
    );
  });

  it('leaves no account behind when the sign-in cannot read the database', async () => {
    const agent = await guestWithCart();
    failNext(shop.services.savedCarts, 'load');

    await agent.post('/register').set(json).send(MAYA).expect(503);

    expect(await shop.services.users.find('maya')).toBeUndefined();
    await agent.post('/register').set(json).send(MAYA).expect(201);
  });
});

describe('a member’s cart change, refused at the session write', () => {
  it('is in no cart afterwards: not the session’s, not the saved one', async () => {
    const agent = request.agent(shop.app);
    await login(agent).expect(200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 1 }).expect(200);
    refuseNextSessionWrite(shop.services.sessionStore);

    await agent.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 2 }).expect(503);

    expect(quantities(await cartOf(agent))).toEqual({ 'p-001': 1 });
    expect(quantities(await shop.services.savedCarts.load(await raviId()))).toEqual({ 'p-001': 1 });
  });
});

describe('POST /cart/items/:productId for a line no longer in the cart (a stale tab)', () => {
  it('answers 409 and does not bring the line back', async () => {
    const agent = await guestWithCart();
    await agent.post('/cart/items/p-001/remove').set(json).send({}).expect(200);

    const res = await agent.post('/cart/items/p-001').set(json).send({ quantity: 2 }).expect(409);

    expect(res.body.error).toBe('That item is no longer in your cart.');
    expect((await cartOf(agent)).lines).toEqual([]);
  });

  it('shows the cart page with that message to a browser', async () => {
    const agent = await guestWithCart();
    await agent.post('/cart/items/p-001/remove').set(json).send({}).expect(200);
    const page = await agent.get('/cart');
    const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page.text)?.[1] ?? '';

    const res = await agent.post('/cart/items/p-001').type('form').send({ quantity: '2', _csrf: csrf }).expect(409);

    expect(res.text).toContain('That item is no longer in your cart.');
    expect((await cartOf(agent)).lines).toEqual([]);
  });

  it('still removes with a quantity of 0, which asks for no line', async () => {
    const agent = await guestWithCart();
    await agent.post('/cart/items/p-002').set(json).send({ quantity: 0 }).expect(200);
    expect(quantities(await cartOf(agent))).toEqual({ 'p-001': 3 });
  });
});

describe('refusals that leave the browser’s cookie alone', () => {
  it('send no cookie for a session made for the refused request itself', async () => {
    refuseNextSessionWrite(shop.services.sessionStore);
    const refused = await request(shop.app).post('/login').set(json).send(RAVI).expect(503);
    expect(refused.headers['set-cookie']).toBeUndefined();
  });

  it('keep the cookie’s lifetime as it was: a refused clear leaves a cart’s week, not half an hour', async () => {
    const agent = await guestWithCart();
    refuseNextSessionWrite(shop.services.sessionStore);
    const refused = await agent.post('/cart/clear').set(json).send({}).expect(503);
    const expires = /Expires=([^;]+)/.exec(String(refused.headers['set-cookie']))?.[1];
    expect(Date.parse(expires ?? '') - Date.now()).toBeGreaterThan(24 * 3600_000);
    expect(quantities(await cartOf(agent))).toEqual({ 'p-001': 3 });
  });
});

describe('a member’s preference change, refused at the session write', () => {
  it('is not saved with the account, and a newer change from elsewhere is never undone', async () => {
    const agent = request.agent(shop.app);
    await login(agent).expect(200);
    refuseNextSessionWrite(shop.services.sessionStore);
    await agent.post('/preferences').set(json).send({ theme: 'dark' }).expect(503);
    expect((await shop.services.users.find('ravi'))?.prefs).toEqual({});
    await agent.post('/preferences').set(json).send({ theme: 'dark' }).expect(200);
    expect((await shop.services.users.find('ravi'))?.prefs).toEqual({ theme: 'dark' });
  });
});
