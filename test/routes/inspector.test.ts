import type { SessionData } from 'express-session';
import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { storeLogOf } from '../../src/session/setup.js';
import { sessionIdFromCookie } from '../../src/session/store/session-id.js';
import { decode, json, makeShop, type Shop, TEST_SECRET, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeAll(async () => {
  shop = await makeShop();
});

const RAVI = { username: 'ravi', password: 'ravi-demo-pass' };

/** The full session ID behind the agent's cookie. */
async function fullId(agent: request.Agent): Promise<string> {
  const cookies = agent.jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false });
  const cookie = cookies.find((c) => c.name === 'shop.sid');
  const id = sessionIdFromCookie(`shop.sid=${cookie?.value}`, 'shop.sid', [TEST_SECRET]);
  if (id === undefined) throw new Error('no session cookie');
  return id;
}

const stored = (s: Shop, id: string) =>
  new Promise<SessionData | null | undefined>((resolve, reject) =>
    s.services.sessionStore.get(id, (err, data) => (err ? reject(err) : resolve(data))),
  );

const inspect = async (agent: request.Agent) => (await agent.get('/session').set(json).expect(200)).body;

describe('GET /session: the store entry', () => {
  it('gives the size of the entry exactly as the store holds it, cookie and timeline included', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    const body = await inspect(agent);
    const entry = await stored(shop, await fullId(agent));
    expect(entry?.timeline?.length).toBeGreaterThan(0);
    expect(body.stored.bytes).toBe(Buffer.byteLength(JSON.stringify(entry)));
    expect(body.stored.bytes).toBeGreaterThan(Buffer.byteLength(JSON.stringify(body.data)));
  });

  it('gives the entry’s remaining lifetime in minutes: the long one once it holds a cart', async () => {
    const { agent } = await visitor(shop);
    const empty = await inspect(agent);
    expect(empty.stored.minutesLeft).toBe(30);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    expect((await inspect(agent)).stored.minutesLeft).toBe(7 * 24 * 60);
  });

  it('shows times readable, with the ISO value on hover', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    const page = decode((await agent.get('/session').expect(200)).text);
    expect(page).toMatch(
      /<time[^>]* datetime="(\d{4}-\d\d-\d\dT[^"]+Z)" title="\1">\d{1,2} \w{3}, \d\d:\d\d:\d\d UTC<\/time>/,
    );
  });
});

describe('GET /session: the Set-Cookie header', () => {
  it('is explained part by part, with the ID shortened and the signature hidden', async () => {
    const { agent } = await visitor(shop);
    const body = await inspect(agent);
    const id = await fullId(agent);
    expect(body.setCookie.header).toMatch(
      new RegExp(
        `^shop\\.sid=s%3A${id.slice(0, 6)}….\\[signature\\]; Path=/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax$`,
      ),
    );
    const parts = body.setCookie.parts.map((p: { text: string }) => p.text);
    expect(parts.slice(0, 4)).toEqual(['shop.sid', 's%3A', `${id.slice(0, 6)}…`, '.[signature]']);
    const page = (await agent.get('/session').expect(200)).text;
    expect(page).not.toContain(id);
  });
});

describe('GET /session: what each request did to the store', () => {
  it('says set for a change, and neither for an unchanged session renewed moments ago, newest first', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    await agent.get('/cart').set(json).expect(200);
    const requests = (await inspect(agent)).requests;
    expect(requests.slice(0, 3).map((r: { path: string; write: string }) => `${r.path} ${r.write}`)).toEqual([
      '/cart none',
      '/cart/items set',
      '/ set',
    ]);
    expect(requests[0].why).toMatch(/renewed less than 60 s ago/);
    expect(requests[1].why).toMatch(/changed.*resave: false/);
    expect(requests[2].why).toMatch(/saveUninitialized: true/);
  });

  it('says touch for an unchanged session whose stored expiry is minutes old (rolling)', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    // As if the cart had been added five minutes ago.
    const id = await fullId(agent);
    const entry = await stored(shop, id);
    if (!entry?.cookie.expires) throw new Error('no stored session');
    entry.cookie.expires = new Date(new Date(entry.cookie.expires).getTime() - 5 * 60_000);
    await new Promise<void>((resolve, reject) =>
      shop.services.sessionStore.set(id, entry, (err) => (err ? reject(err) : resolve())),
    );
    storeLogOf(shop.services.sessionStore)?.take(id); // the test's own write is no request's
    await agent.get('/cart').set(json).expect(200);
    const [cart] = (await inspect(agent)).requests;
    expect(cart).toMatchObject({ path: '/cart', write: 'touch', ops: ['touch'] });
    expect(cart.why).toMatch(/resave: false.*rolling: true/);
  });

  it('says set with a new ID for a login', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    const [login] = (await inspect(agent)).requests;
    expect(login).toMatchObject({ path: '/login', write: 'set', regenerated: true, ops: ['destroy', 'set'] });
  });
});

describe('GET /session: the timeline', () => {
  it('records what each request changed: cart lines, the preference that changed, the user', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    await agent.post('/cart/items/p-001').set(json).send({ quantity: 1 }).expect(200);
    await agent.post('/preferences').set(json).send({ theme: 'dark', sort: 'featured' }).expect(200);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    const changed = Object.fromEntries(
      (await inspect(agent)).timeline.map((e: { event: string; changed?: unknown }) => [e.event, e.changed]),
    );
    expect(changed['cart.add']).toEqual([{ key: 'cart.p-001', from: 0, to: 2 }]);
    expect(changed['cart.set']).toEqual([{ key: 'cart.p-001', from: 2, to: 1 }]);
    expect(changed.preferences).toEqual([{ key: 'prefs.theme', from: 'light', to: 'dark' }]);
    expect(changed.login).toEqual([{ key: 'user', from: null, to: 'ravi' }]);
  });

  it('shows where a merged line started: the guest’s and the saved quantities, and the result', async () => {
    const ravi = await shop.services.users.find('ravi');
    if (!ravi) throw new Error('no demo account ravi');
    await shop.services.savedCarts.save(ravi.id, { lines: [{ productId: 'p-001', quantity: 2 }] });
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 3 }).expect(200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 1 }).expect(200);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    const merge = (await inspect(agent)).timeline.find((e: { event: string }) => e.event === 'cart.merge');
    // `from` is this browser's cart before the login, as for every other event; `saved` the account's.
    expect(merge.changed).toEqual([
      { key: 'cart.p-001', from: 3, to: 5, saved: 2 },
      { key: 'cart.p-002', from: 1, to: 1, saved: 0 },
    ]);
    const page = decode((await agent.get('/session').expect(200)).text);
    expect(page).toContain('cart.p-001: guest 3, saved 2 → 5');
    expect(page).not.toContain('cart.p-001: 0 → 5');
    await shop.services.savedCarts.save(ravi.id, { lines: [] });
  });

  it.each([
    ['JSON', (a: request.Agent) => a.post('/logout').set(json).send({}).expect(200)],
    [
      'a form',
      async (a: request.Agent) => {
        const csrf = /name="_csrf" value="([^"]+)"/.exec((await a.get('/logout').expect(200)).text)?.[1] ?? '';
        return a.post('/logout').type('form').send({ _csrf: csrf }).expect(303);
      },
    ],
  ])('carries the old ID into the next session with a logout event (%s)', async (_how, logout) => {
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    const member = await inspect(agent);
    const memberId = await fullId(agent);
    await logout(agent);
    const next = await inspect(agent);
    expect(next.sessionId).not.toBe(member.sessionId);
    expect(next.data.user).toBeUndefined();
    const events = next.timeline.map((e: { event: string }) => e.event);
    expect(events).toEqual(['created', 'logout']);
    expect(next.timeline[1].detail).toEqual({ previousSession: member.sessionId });
    expect(next.timeline[1].changed).toEqual([{ key: 'user', from: 'ravi', to: null }]);
    expect(await stored(shop, memberId)).toBeFalsy();
    await agent.get('/account').set(json).expect(401);
  });
});

describe('GET /session: the timeline’s length', () => {
  it('keeps the newest SESSION_TIMELINE_LENGTH events', async () => {
    const short = await makeShop({ env: { SESSION_TIMELINE_LENGTH: '3' }, demoAccounts: false });
    const { agent } = await visitor(short);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 1 }).expect(200);
    for (const quantity of [2, 3, 4]) {
      await agent.post('/cart/items/p-001').set(json).send({ quantity }).expect(200);
    }
    const { timeline } = await inspect(agent);
    expect(timeline.map((e: { changed: { to: number }[] }) => e.changed[0]?.to)).toEqual([2, 3, 4]);
  });
});

describe('GET /session with the inspector off', () => {
  it('is not there, and logout clears the cookie', async () => {
    const off = await makeShop({ env: { SESSION_INSPECTOR: 'off' } });
    const { agent } = await visitor(off);
    await agent.get('/session').expect(404);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    const res = await agent.post('/logout').set(json).send({}).expect(200);
    expect(res.headers['set-cookie']).toEqual([
      expect.stringMatching(/^shop\.sid=; Path=\/; Expires=Thu, 01 Jan 1970/),
    ]);
  });
});
