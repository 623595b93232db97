import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { FakeClock } from '../helpers/clock.js';
import {
  cartOf,
  cartWith,
  csrfFrom,
  decode,
  EMPTY_CART,
  json,
  makeShop,
  postForm,
  quantities,
  type Shop,
  sessionCookie,
  visitor,
} from '../helpers/shop.js';

let shop: Shop;
beforeEach(async () => {
  shop = await makeShop();
});

const RAVI = { username: 'ravi', password: 'ravi-demo-pass' };

async function userId(s: Shop, username: string): Promise<string> {
  const user = await s.services.users.find(username);
  if (!user) throw new Error(`no user ${username}`);
  return user.id;
}

async function add(agent: request.Agent, productId: string, quantity: number) {
  await agent.post('/cart/items').set(json).send({ productId, quantity }).expect(200);
}

/** The session cookie this agent holds now (every response renews it). */
async function currentCookie(agent: request.Agent): Promise<string> {
  const cookie = sessionCookie(await agent.get('/cart').set(json).expect(200));
  if (cookie === undefined) throw new Error('no session cookie');
  return cookie;
}

/** A request from another client that replays a stolen or old cookie. */
const replay = (s: Shop, cookie: string, path: string) =>
  request(s.app).get(path).set('Cookie', `shop.sid=${cookie}`).set(json);

/** A fresh token: a new session (after login or logout) has a new one. */
async function csrfOf(agent: request.Agent): Promise<string> {
  return csrfFrom((await agent.get('/').expect(200)).text);
}

describe('POST /login (JSON)', () => {
  it('keeps the products the guest viewed in "recently viewed"', async () => {
    const { agent } = await visitor(shop);
    await agent.get('/products/colombia-huila-beans-250-g').expect(200);
    await agent.get('/products/house-espresso-blend-1-kg').expect(200);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    const product = await agent.get('/products/ethiopia-yirgacheffe-beans-250-g').set(json).expect(200);
    expect(product.body.recentlyViewed.map((p: { id: string }) => p.id)).toEqual(['p-003', 'p-002']);
  });

  it('merges the guest cart into the saved one and reports every change', async () => {
    await shop.services.savedCarts.save(await userId(shop, 'ravi'), cartWith(['p-001', 2], ['p-004', 2]));
    const { agent } = await visitor(shop);
    await add(agent, 'p-001', 3);
    await add(agent, 'p-004', 2);
    await add(agent, 'p-002', 1);
    await add(agent, 'p-003', 1);
    await shop.services.stock.set('p-003', 0); // sold out while the guest was shopping

    const res = await agent.post('/login').set(json).send(RAVI).expect(200);
    expect(res.body.user).toEqual({ username: 'ravi' });
    expect(quantities(res.body.cart)).toEqual({ 'p-001': 5, 'p-004': 3, 'p-002': 1 });
    expect(res.body.cart.count).toBe(9);
    expect(res.body.merge).toEqual({
      added: [
        { productId: 'p-001', quantity: 3 },
        { productId: 'p-002', quantity: 1 },
      ],
      adjusted: [{ productId: 'p-004', requested: 4, kept: 3, reason: 'stock' }],
      dropped: [{ productId: 'p-003', reason: 'out-of-stock' }],
    });
    expect(await cartOf(agent)).toEqual(res.body.cart);
  });

  it('caps a summed line at CART_MAX_PER_LINE and reports it as line-limit', async () => {
    const capped = await makeShop({ env: { CART_MAX_PER_LINE: '5' } });
    await capped.services.savedCarts.save(await userId(capped, 'ravi'), cartWith(['p-001', 4]));
    const { agent } = await visitor(capped);
    await add(agent, 'p-001', 3);
    const res = await agent.post('/login').set(json).send(RAVI).expect(200);
    expect(quantities(res.body.cart)).toEqual({ 'p-001': 5 });
    expect(res.body.merge.adjusted).toEqual([{ productId: 'p-001', requested: 7, kept: 5, reason: 'line-limit' }]);
  });

  it('issues a new session id, and the pre-login id gives a fresh empty guest session', async () => {
    const { agent } = await visitor(shop);
    await add(agent, 'p-001', 1);
    const guestCookie = await currentCookie(agent);
    const login = await agent.post('/login').set(json).send(RAVI).expect(200);
    const userCookie = sessionCookie(login);
    expect(userCookie).toBeDefined();
    expect(userCookie).not.toBe(guestCookie);

    await replay(shop, guestCookie, '/account').expect(401);
    const replayed = await replay(shop, guestCookie, '/cart').expect(200);
    expect(replayed.body.cart).toEqual(EMPTY_CART);
    expect(sessionCookie(replayed)).not.toBe(guestCookie);
    await agent.get('/account').set(json).expect(200);
  });

  it('never doubles quantities when the same guest session logs in twice at once', async () => {
    await shop.services.savedCarts.save(await userId(shop, 'ravi'), cartWith(['p-001', 2]));
    const { agent } = await visitor(shop);
    await add(agent, 'p-001', 3);
    await add(agent, 'p-002', 1);

    const answers = await Promise.all([
      agent.post('/login').set(json).send(RAVI),
      agent.post('/login').set(json).send(RAVI),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const expected = { 'p-001': 5, 'p-002': 1 };
    for (const answer of answers) expect(quantities(answer.body.cart)).toEqual(expected);
    // Exactly one of the two merged the guest cart; the other found a fresh, empty session.
    const merged = answers.filter((r) => r.body.merge.added.length > 0);
    expect(merged).toHaveLength(1);
    expect(quantities(await shop.services.savedCarts.load(await userId(shop, 'ravi')))).toEqual(expected);
  });

  it('does not merge the cart again when a logged-in shopper logs in again', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    await add(agent, 'p-001', 2);
    const again = await agent.post('/login').set(json).send(RAVI).expect(200);
    expect(quantities(again.body.cart)).toEqual({ 'p-001': 2 });
    expect(again.body.merge).toEqual({ added: [], adjusted: [], dropped: [] });
  });

  it('does not carry one account’s cart into another when switching without logging out', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send({ username: 'alice', password: 'alice-demo-pass' }).expect(200);
    await add(agent, 'p-002', 4);
    const res = await agent.post('/login').set(json).send(RAVI).expect(200);
    expect(res.body.cart.lines).toEqual([]);
    expect((await shop.services.savedCarts.load(await userId(shop, 'ravi'))).lines).toEqual([]);
    expect(quantities(await shop.services.savedCarts.load(await userId(shop, 'alice')))).toEqual({ 'p-002': 4 });
  });

  it('answers a wrong password and an unknown user with the same 401 and message', async () => {
    const { agent } = await visitor(shop);
    await add(agent, 'p-001', 1);
    const wrong = await agent.post('/login').set(json).send({ username: 'ravi', password: 'nope-nope' }).expect(401);
    const unknown = await agent
      .post('/login')
      .set(json)
      .send({ username: 'nobody', password: 'nope-nope' })
      .expect(401);
    expect(wrong.body).toEqual({ error: 'Invalid username or password' });
    expect(unknown.body).toEqual(wrong.body);
    expect((await cartOf(agent)).count).toBe(1); // still the same guest
  });

  it('refuses a missing field with 422 naming it', async () => {
    const { agent } = await visitor(shop);
    const res = await agent.post('/login').set(json).send({ username: 'ravi' }).expect(422);
    expect(res.body.error).toMatch(/^password/);
  });

  it('lets the guest’s chosen preferences win over the saved ones and saves the result', async () => {
    const id = await userId(shop, 'ravi');
    await shop.services.users.savePrefs(id, { theme: 'dark', pageSize: 24 });
    const { agent } = await visitor(shop);
    await agent.post('/preferences').set(json).send({ theme: 'light', view: 'list' }).expect(200);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    const catalog = await agent.get('/').set(json).expect(200);
    expect(catalog.body.prefs).toEqual({ sort: 'featured', view: 'list', theme: 'light', pageSize: 24 });
    expect((await shop.services.users.find('ravi'))?.prefs).toEqual({ theme: 'light', view: 'list', pageSize: 24 });
  });

  it('gives a guest who chose nothing the saved preferences', async () => {
    await shop.services.users.savePrefs(await userId(shop, 'ravi'), { theme: 'dark' });
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    expect((await agent.get('/').set(json).expect(200)).body.prefs.theme).toBe('dark');
  });
});

describe('POST /login (form)', () => {
  it('redirects (303) to /account and shows the greeting and the merge report once', async () => {
    await shop.services.savedCarts.save(await userId(shop, 'ravi'), cartWith(['p-004', 2]));
    const { agent, csrf } = await visitor(shop);
    await add(agent, 'p-001', 3);
    await add(agent, 'p-004', 2);
    await add(agent, 'p-003', 1);
    await shop.services.stock.set('p-003', 0);

    await postForm({ agent, csrf }, '/login', RAVI).expect(303).expect('Location', '/account');
    const page = decode((await agent.get('/account').expect(200)).text);
    // The account page greets in its heading; the flash does not say it again.
    expect(page.match(/Welcome back/g)).toEqual(['Welcome back']);
    expect(page).toContain('<h1>Welcome back, ravi</h1>');
    expect(flashes(page)).toEqual([
      ['info', 'Added 3 × Ethiopia Yirgacheffe Beans 250 g from your guest cart.'],
      ['warning', 'Sumatra Mandheling Dark Roast 500 g: you wanted 4, your cart now has 3 (all we have in stock).'],
      ['warning', 'Removed House Espresso Blend 1 kg: it is sold out.'],
    ]);

    const again = decode((await agent.get('/account').expect(200)).text);
    expect(again).not.toContain('from your guest cart');
  });

  it('honours a same-site returnTo, and greets there once', async () => {
    const shopper = await visitor(shop);
    await postForm(shopper, '/login', { ...RAVI, returnTo: '/cart' })
      .expect(303)
      .expect('Location', '/cart');
    const page = decode((await shopper.agent.get('/cart').expect(200)).text);
    expect(flashes(page)).toEqual([['success', 'Welcome back, ravi!']]);
  });

  it.each(['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)'])(
    'refuses returnTo=%s and goes to /account instead',
    async (returnTo) => {
      await postForm(await visitor(shop), '/login', { ...RAVI, returnTo })
        .expect(303)
        .expect('Location', '/account');
    },
  );

  it('re-renders the form with the same 401 and message for a wrong password and an unknown user', async () => {
    const shopper = await visitor(shop);
    const wrong = await postForm(shopper, '/login', { username: 'ravi', password: 'nope-nope' }).expect(401);
    const unknown = await postForm(shopper, '/login', { username: 'nobody', password: 'nope-nope' }).expect(401);
    const message = /<p class="flash flash--error" role="alert">([^<]*)<\/p>/;
    expect(message.exec(wrong.text)?.[1]).toBe('Invalid username or password');
    expect(message.exec(unknown.text)?.[1]).toBe('Invalid username or password');
    expect(wrong.text).toContain('value="ravi"'); // the username is kept, the password is not
    expect(wrong.text).not.toContain('nope-nope');
  });
});

describe('GET /login and GET /register', () => {
  it('carries a same-site returnTo into the form and drops any other', async () => {
    const { agent } = await visitor(shop);
    const kept = await agent.get('/login?returnTo=%2Fcart').expect(200);
    expect(kept.text).toContain('<input type="hidden" name="returnTo" value="/cart">');
    for (const evil of ['https://evil.example', '//evil.example']) {
      const page = await agent.get(`/login?returnTo=${encodeURIComponent(evil)}`).expect(200);
      expect(page.text).toContain('<input type="hidden" name="returnTo" value="">');
      expect(decode(page.text)).not.toContain('evil.example');
    }
  });

  it('link to each other carrying returnTo, query string included', async () => {
    const { agent } = await visitor(shop);
    const returnTo = encodeURIComponent('/account?tab=orders&page=2');
    const login = decode((await agent.get(`/login?returnTo=${returnTo}`).expect(200)).text);
    expect(login).toContain(`<a href="/register?returnTo=${returnTo}">Create an account</a>`);
    const register = decode((await agent.get(`/register?returnTo=${returnTo}`).expect(200)).text);
    expect(register).toContain('<input type="hidden" name="returnTo" value="/account?tab=orders&page=2">');
    expect(register).toContain(`<a href="/login?returnTo=${returnTo}">Log in</a>`);
    expect(decode((await agent.get('/login').expect(200)).text)).toContain('<a href="/register">Create an account</a>');
  });
});

describe('login rate limit', () => {
  const fail = (agent: request.Agent, username = 'ravi') =>
    agent.post('/login').set(json).send({ username, password: 'wrong-pass' });

  it('answers 429 after 5 failed logins for one username and IP, even with the right password', async () => {
    const { agent } = await visitor(shop);
    for (let i = 0; i < 5; i++) await fail(agent).expect(401);
    const blocked = await fail(agent).expect(429);
    expect(blocked.body.error).toMatch(/^Too many failed login attempts/);
    await agent.post('/login').set(json).send(RAVI).expect(429);
    // Another username from the same IP is counted on its own.
    await agent.post('/login').set(json).send({ username: 'alice', password: 'alice-demo-pass' }).expect(200);
  });

  it('counts the username in any case and with spaces as the same one', async () => {
    const { agent } = await visitor(shop);
    for (const name of ['ravi', 'RAVI', ' Ravi ', 'rAvI', 'ravi ']) await fail(agent, name).expect(401);
    await fail(agent, 'Ravi').expect(429);
  });

  it('does not count successful logins', async () => {
    const { agent } = await visitor(shop);
    for (let i = 0; i < 4; i++) await fail(agent).expect(401);
    for (let i = 0; i < 3; i++) await agent.post('/login').set(json).send(RAVI).expect(200);
    await fail(agent).expect(401); // the 5th failure
    await fail(agent).expect(429);
  });
});

describe('POST /register', () => {
  it('answers 201 { user, cart, merge }, logs the shopper in and saves the guest cart', async () => {
    const { agent } = await visitor(shop);
    await add(agent, 'p-002', 2);
    const guestCookie = await currentCookie(agent);
    const res = await agent
      .post('/register')
      .set(json)
      .send({ username: 'Newbie', password: 'long-enough' })
      .expect(201);
    expect(res.body.user).toEqual({ username: 'newbie' });
    expect(quantities(res.body.cart)).toEqual({ 'p-002': 2 });
    expect(res.body.merge).toEqual({ added: [{ productId: 'p-002', quantity: 2 }], adjusted: [], dropped: [] });
    expect(sessionCookie(res)).not.toBe(guestCookie);

    const account = await agent.get('/account').set(json).expect(200);
    expect(account.body.message).toBe('Welcome, newbie');
    expect(quantities(await shop.services.savedCarts.load(await userId(shop, 'newbie')))).toEqual({ 'p-002': 2 });
    await agent.post('/logout').set(json).send({}).expect(200);
    await agent.post('/login').set(json).send({ username: 'newbie', password: 'long-enough' }).expect(200);
  });

  it('greets the new member as new on the account page, and as returning once they log in again', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/register').set(json).send({ username: 'nora', password: 'long-enough' }).expect(201);
    expect((await agent.get('/account').set(json).expect(200)).body.message).toBe('Welcome, nora');
    expect((await agent.get('/dashboard').set(json).expect(200)).body.message).toBe('Welcome, nora');

    await agent.post('/logout').set(json).send({}).expect(200);
    await agent.post('/login').set(json).send({ username: 'nora', password: 'long-enough' }).expect(200);
    expect((await agent.get('/account').set(json).expect(200)).body.message).toBe('Welcome back, nora');
  });

  it('refuses a taken username, in any case, with 409 and keeps the guest as they were', async () => {
    const { agent } = await visitor(shop);
    await add(agent, 'p-002', 1);
    for (const username of ['ravi', 'RAVI']) {
      const res = await agent.post('/register').set(json).send({ username, password: 'long-enough' }).expect(409);
      expect(res.body.error).toContain('taken');
    }
    await agent.get('/account').set(json).expect(401);
    expect((await cartOf(agent)).count).toBe(1);
  });

  it('refuses a bad username or a short password with 422 naming the field', async () => {
    const { agent } = await visitor(shop);
    const name = await agent.post('/register').set(json).send({ username: 'a b', password: 'long-enough' }).expect(422);
    expect(name.body.error).toMatch(/^username/);
    const password = await agent.post('/register').set(json).send({ username: 'mia', password: 'short' }).expect(422);
    expect(password.body.error).toMatch(/^password/);
    expect(await shop.services.users.find('mia')).toBeUndefined();
  });

  it('redirects a form (303) and greets the new shopper', async () => {
    const { agent, csrf } = await visitor(shop);
    await postForm({ agent, csrf }, '/register', { username: 'mia', password: 'long-enough' })
      .expect(303)
      .expect('Location', '/account');
    const page = decode((await agent.get('/account').expect(200)).text);
    // The heading greets; the flash says only what is new, so the welcome is said once.
    expect(page).toContain('<h1>Welcome, mia</h1>');
    expect(flashes(page)).toEqual([['success', 'Your account is ready.']]);
    expect(page).not.toContain('Welcome back');
  });

  it('greets the new member in the flash when the form goes on elsewhere', async () => {
    const shopper = await visitor(shop);
    await postForm(shopper, '/register', { username: 'ines', password: 'long-enough', returnTo: '/cart' })
      .expect(303)
      .expect('Location', '/cart');
    const page = decode((await shopper.agent.get('/cart').expect(200)).text);
    expect(flashes(page)).toEqual([['success', 'Welcome, ines! Your account is ready.']]);
  });

  it('re-renders the form with 409 for a taken name', async () => {
    const shopper = await visitor(shop);
    const res = await postForm(shopper, '/register', { username: 'alice', password: 'long-enough' }).expect(409);
    expect(decode(res.text)).toContain('username: that name is taken, please pick another');
  });
});

describe('GET /logout', () => {
  it('shows a confirm button and does not log out', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    const page = await agent.get('/logout').expect(200);
    expect(page.text).toMatch(/<form action="\/logout" method="post">[\s\S]*name="_csrf"[\s\S]*<button type="submit"/);
    await agent.get('/account').set(json).expect(200);
  });
});

describe('POST /logout', () => {
  it('destroys the session, clears the cookie and leaves a guest with an empty cart', async () => {
    // As in production: with the inspector on, logout starts the next session at once (session/lifecycle.ts).
    shop = await makeShop({ env: { SESSION_INSPECTOR: 'off' } });
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    await add(agent, 'p-001', 2);
    const userCookie = await currentCookie(agent);

    const res = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: await csrfOf(agent) })
      .expect(303)
      .expect('Location', '/login?loggedOut=1');
    const setCookie = (res.headers['set-cookie'] ?? []) as string[];
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^shop\.sid=;/);
    expect(setCookie[0]).toContain('Expires=Thu, 01 Jan 1970 00:00:00 GMT');

    const next = await agent.get('/cart').set(json).expect(200);
    expect(next.body.cart).toEqual(EMPTY_CART);
    expect(sessionCookie(next)).not.toBe(userCookie);
    await agent.get('/account').set(json).expect(401);
    // The logged-in cookie is dead too, and the saved cart waits in the database.
    await replay(shop, userCookie, '/account').expect(401);
    expect(quantities(await shop.services.savedCarts.load(await userId(shop, 'ravi')))).toEqual({ 'p-001': 2 });
  });

  it('answers JSON with an empty cart', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    await add(agent, 'p-001', 2);
    const res = await agent.post('/logout').set(json).send({}).expect(200);
    expect(res.body).toEqual({ cart: EMPTY_CART });
  });

  it('refuses a form post without the CSRF token and stays logged in', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    await agent.post('/logout').type('form').send({}).expect(403);
    await agent.get('/account').set(json).expect(200);
  });
});

describe('the saved cart', () => {
  it('follows every change while logged in', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    const saved = async () => quantities(await shop.services.savedCarts.load(await userId(shop, 'ravi')));
    await add(agent, 'p-001', 2);
    await add(agent, 'p-002', 1);
    expect(await saved()).toEqual({ 'p-001': 2, 'p-002': 1 });
    await agent.post('/cart/items/p-001').set(json).send({ quantity: 5 }).expect(200);
    expect(await saved()).toEqual({ 'p-001': 5, 'p-002': 1 });
    await agent.post('/cart/items/p-002/remove').set(json).send({}).expect(200);
    expect(await saved()).toEqual({ 'p-001': 5 });
    await agent.post('/cart/clear').set(json).send({}).expect(200);
    expect(await saved()).toEqual({});
  });

  it('is left alone by a guest’s changes', async () => {
    const id = await userId(shop, 'ravi');
    await shop.services.savedCarts.save(id, cartWith(['p-001', 1]));
    const { agent } = await visitor(shop);
    await add(agent, 'p-002', 3);
    expect(quantities(await shop.services.savedCarts.load(id))).toEqual({ 'p-001': 1 });
  });

  it('survives logout and login', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    await add(agent, 'p-001', 2);
    await agent.post('/logout').set(json).send({}).expect(200);
    expect((await cartOf(agent)).count).toBe(0);
    const res = await agent.post('/login').set(json).send(RAVI).expect(200);
    expect(quantities(res.body.cart)).toEqual({ 'p-001': 2 });
    expect(res.body.merge).toEqual({ added: [], adjusted: [], dropped: [] });
  });

  it('is found by a second browser logging in as the same user', async () => {
    const first = await visitor(shop);
    await first.agent.post('/login').set(json).send(RAVI).expect(200);
    await add(first.agent, 'p-001', 2);
    const second = await visitor(shop);
    const res = await second.agent.post('/login').set(json).send(RAVI).expect(200);
    expect(quantities(res.body.cart)).toEqual({ 'p-001': 2 });
  });

  it('survives a restart (a second app on the same database)', async () => {
    const db = await openDatabase(':memory:');
    const before = await makeShop({ db });
    const { agent } = await visitor(before);
    await agent.post('/login').set(json).send(RAVI).expect(200);
    await add(agent, 'p-001', 2);
    await add(agent, 'p-004', 1);

    const after = await makeShop({ db });
    const res = await (await visitor(after)).agent.post('/login').set(json).send(RAVI).expect(200);
    expect(quantities(res.body.cart)).toEqual({ 'p-001': 2, 'p-004': 1 });
  });
});

describe('auth expiry', () => {
  /** A shop whose clock the test moves: a timeout passes without waiting for it. */
  async function quickShop(env: Record<string, string>) {
    const clock = new FakeClock();
    return { clock, quick: await makeShop({ env, now: clock.now }) };
  }

  /** Logs in with a cart; the login answer's cookie is the logged-in session. */
  async function loggedInWithCart(s: Shop) {
    await s.services.savedCarts.save(await userId(s, 'ravi'), cartWith(['p-002', 1]));
    const { agent } = await visitor(s);
    await add(agent, 'p-001', 2);
    const login = await agent.post('/login').set(json).send(RAVI).expect(200);
    const userCookie = sessionCookie(login);
    if (userCookie === undefined) throw new Error('no session cookie');
    return { agent, userCookie };
  }

  it('makes an idle shopper a guest again under a new session id, keeping the cart', async () => {
    const { clock, quick } = await quickShop({ AUTH_IDLE_MS: '200' });
    const { agent, userCookie } = await loggedInWithCart(quick);

    clock.advance(201);
    const res = await agent.get('/account').set(json).expect(401);
    expect(res.body).toEqual({ error: 'Please login first' });
    const guestCookie = sessionCookie(res);
    expect(guestCookie).toBeDefined();
    expect(guestCookie).not.toBe(userCookie);
    expect(quantities(await cartOf(agent))).toEqual({ 'p-002': 1, 'p-001': 2 });
    expect(decode((await agent.get('/cart').expect(200)).text)).toContain('You were signed out after a while');
    await replay(quick, userCookie, '/account').expect(401);
  });

  it('keeps an active shopper logged in: every request restarts the idle clock', async () => {
    const { clock, quick } = await quickShop({ AUTH_IDLE_MS: '600' });
    const { agent } = await loggedInWithCart(quick);
    // 750 ms in all, longer than the idle timeout, but never 600 ms without a request.
    for (let i = 0; i < 3; i++) {
      clock.advance(250);
      await agent.get('/account').set(json).expect(200);
    }
  });

  it('does not double the kept cart when the same shopper logs in again', async () => {
    const { clock, quick } = await quickShop({ AUTH_IDLE_MS: '200' });
    const { agent } = await loggedInWithCart(quick);
    clock.advance(201);
    await agent.get('/account').set(json).expect(401);
    const res = await agent.post('/login').set(json).send(RAVI).expect(200);
    expect(quantities(res.body.cart)).toEqual({ 'p-002': 1, 'p-001': 2 });
    expect(quantities(await quick.services.savedCarts.load(await userId(quick, 'ravi')))).toEqual({
      'p-002': 1,
      'p-001': 2,
    });
  });

  it('ends a login after AUTH_ABSOLUTE_MS however active the shopper is', async () => {
    const { clock, quick } = await quickShop({ AUTH_ABSOLUTE_MS: '500' });
    const { agent } = await loggedInWithCart(quick);
    clock.advance(200);
    await agent.get('/account').set(json).expect(200);
    clock.advance(301);
    await agent.get('/account').set(json).expect(401);
    const page = decode((await agent.get('/cart').expect(200)).text);
    expect(page).toContain('because you had been logged in for a long time');
    expect(page).not.toContain('after a while without activity');
  });
});

/** The flash messages of a page, as [kind, text]. */
function flashes(html: string): [string, string][] {
  const area = /<div class="flash-area"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return [...area.matchAll(/<p class="flash flash--(\w+)">([^<]*)<\/p>/g)].map((m) => [m[1] ?? '', m[2] ?? '']);
}
