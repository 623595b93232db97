// After a login times out, the next person at that browser finds a guest session
// with the kept cart — and nothing that says whose it was: no username, no user id,
// neither in the inspector nor in the stored session.
import type { SessionData } from 'express-session';
import type request from 'supertest';
import { describe, expect, it } from 'vitest';
import { sessionIdFromCookie } from '../../src/session/store/session-id.js';
import { FakeClock } from '../helpers/clock.js';
import { cartOf, json, makeShop, quantities, type Shop, sessionCookie, TEST_SECRET, visitor } from '../helpers/shop.js';

const RAVI = { username: 'ravi', password: 'ravi-demo-pass' };
const ALICE = { username: 'alice', password: 'alice-demo-pass' };

async function userId(s: Shop, username: string): Promise<string> {
  const user = await s.services.users.find(username);
  if (!user) throw new Error(`no user ${username}`);
  return user.id;
}

/** A shop whose clock the test moves: a timeout passes without waiting for it. */
async function quickShop(env: Record<string, string>) {
  const clock = new FakeClock();
  return { clock, quick: await makeShop({ env, now: clock.now }) };
}

/** Ravi logs in, fills the cart, and walks away until the idle timeout has passed. */
async function raviWalksAway(s: Shop, clock: FakeClock, idleMs: number) {
  const { agent } = await visitor(s);
  await agent.post('/login').set(json).send(RAVI).expect(200);
  await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
  clock.advance(idleMs + 1);
  return agent;
}

/** The session ID behind the cookie the agent now carries. */
async function sessionIdOf(agent: request.Agent): Promise<string> {
  const cookie = sessionCookie(await agent.get('/cart').set(json).expect(200));
  const id = sessionIdFromCookie(`shop.sid=${cookie}`, 'shop.sid', [TEST_SECRET]);
  if (id === undefined) throw new Error('no session cookie');
  return id;
}

async function storedEntry(s: Shop, id: string): Promise<SessionData | undefined> {
  return new Promise((resolve, reject) =>
    s.services.sessionStore.get(id, (err, data) => (err ? reject(err) : resolve(data ?? undefined))),
  );
}

describe('auth expiry and the next person at the browser', () => {
  it('shows neither the username nor the user id in the inspector, and keeps the cart', async () => {
    const { clock, quick } = await quickShop({ AUTH_IDLE_MS: '200' });
    const agent = await raviWalksAway(quick, clock, 200);
    const id = await userId(quick, 'ravi');

    const res = await agent.get('/session').set(json).expect(200);
    expect(res.text.toLowerCase()).not.toContain('ravi');
    expect(res.text).not.toContain(id);
    expect(res.body.data.user).toBeUndefined();
    expect(res.body.data.cart).toEqual({ lines: [{ productId: 'p-001', quantity: 2 }] });
    // A fresh timeline: the member's events (login, cart.add…) stay behind.
    expect(res.body.timeline).toEqual([{ at: expect.any(String), event: 'auth.expired', detail: { reason: 'idle' } }]);

    const page = await agent.get('/session').expect(200);
    expect(page.text.toLowerCase()).not.toContain('ravi');
    expect(page.text).not.toContain(id);
    expect(quantities(await cartOf(agent))).toEqual({ 'p-001': 2 });
  });

  it('shows no trace of the member after the absolute lifetime either', async () => {
    const { clock, quick } = await quickShop({ AUTH_ABSOLUTE_MS: '300' });
    const agent = await raviWalksAway(quick, clock, 300);
    const res = await agent.get('/session').set(json).expect(200);
    expect(res.text.toLowerCase()).not.toContain('ravi');
    expect(res.text).not.toContain(await userId(quick, 'ravi'));
    expect(res.body.timeline).toEqual([
      { at: expect.any(String), event: 'auth.expired', detail: { reason: 'absolute' } },
    ]);
  });

  it('stores no readable user id in the session either', async () => {
    const { clock, quick } = await quickShop({ AUTH_IDLE_MS: '200' });
    const agent = await raviWalksAway(quick, clock, 200);
    await agent.get('/').expect(200); // the expiry happens here
    const stored = JSON.stringify(await storedEntry(quick, await sessionIdOf(agent)));
    expect(stored).toContain('p-001');
    expect(stored).not.toContain(await userId(quick, 'ravi'));
    expect(stored.toLowerCase()).not.toContain('ravi');
  });

  it('gives the same member the kept cart back, with what was added meanwhile, counted once', async () => {
    const { clock, quick } = await quickShop({ AUTH_IDLE_MS: '200' });
    const agent = await raviWalksAway(quick, clock, 200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-003', quantity: 1 }).expect(200);
    const res = await agent.post('/login').set(json).send(RAVI).expect(200);
    expect(quantities(res.body.cart)).toEqual({ 'p-001': 2, 'p-003': 1 });
    expect(quantities(await quick.services.savedCarts.load(await userId(quick, 'ravi')))).toEqual({
      'p-001': 2,
      'p-003': 1,
    });
  });

  it('merges nobody’s kept cart when a login from before owner tags expires', async () => {
    const { clock, quick } = await quickShop({ AUTH_IDLE_MS: '200' });
    const { agent } = await visitor(quick);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    const id = await sessionIdOf(agent);
    const entry = await storedEntry(quick, id);
    if (entry === undefined) throw new Error('no stored session');
    Reflect.deleteProperty(entry, 'cartOwner'); // as a login stored before this change has it
    await new Promise<void>((resolve, reject) =>
      quick.services.sessionStore.set(id, entry, (err) => (err ? reject(err) : resolve())),
    );
    clock.advance(201);
    const res = await agent.post('/login').set(json).send(RAVI).expect(200);
    expect(quantities(res.body.cart)).toEqual({ 'p-001': 2 });
  });

  it('does not hand the kept cart to another member logging in at that browser', async () => {
    const { clock, quick } = await quickShop({ AUTH_IDLE_MS: '200' });
    const agent = await raviWalksAway(quick, clock, 200);
    const res = await agent.post('/login').set(json).send(ALICE).expect(200);
    expect(res.body.cart.lines).toEqual([]);
    expect((await quick.services.savedCarts.load(await userId(quick, 'alice'))).lines).toEqual([]);
    // …and the kept cart is still Ravi's alone, as he left it.
    expect(quantities(await quick.services.savedCarts.load(await userId(quick, 'ravi')))).toEqual({ 'p-001': 2 });
  });
});
