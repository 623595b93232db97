import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { contact, decode, json, makeShop, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeAll(async () => {
  shop = await makeShop();
});

const RAVI = { username: 'ravi', password: 'ravi-demo-pass' };

async function loggedIn(username = RAVI.username, password = RAVI.password) {
  const v = await visitor(shop);
  await v.agent.post('/login').set(json).send({ username, password }).expect(200);
  return v;
}

describe.each(['/account', '/dashboard'])('GET %s', (path) => {
  it('answers JSON 401 "Please login first" to an anonymous caller', async () => {
    const res = await request(shop.app).get(path).set(json).expect(401);
    expect(res.body).toEqual({ error: 'Please login first' });
  });

  it('answers JSON 401 to a guest with a session and a cart too', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    const res = await agent.get(path).set(json).expect(401);
    expect(res.body).toEqual({ error: 'Please login first' });
  });

  it('redirects a browser (302) to the login page, coming back here afterwards', async () => {
    await request(shop.app)
      .get(path)
      .expect(302)
      .expect('Location', `/login?returnTo=${encodeURIComponent(path)}`);
  });

  it('keeps the query string in returnTo', async () => {
    await request(shop.app)
      .get(`${path}?tab=orders&x=1`)
      .expect(302)
      .expect('Location', `/login?returnTo=${encodeURIComponent(`${path}?tab=orders&x=1`)}`);
  });

  it('welcomes a logged-in shopper by name, with the cart (JSON)', async () => {
    const ravi = await shop.services.users.find('ravi');
    if (!ravi) throw new Error('no demo user ravi');
    await shop.services.savedCarts.save(ravi.id, { lines: [] });
    const { agent } = await loggedIn();
    await agent.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 2 }).expect(200);
    const res = await agent.get(path).set(json).expect(200);
    expect(res.body.user).toEqual({ username: 'ravi' });
    expect(res.body.message).toBe('Welcome back, ravi');
    expect(res.body.cart).toMatchObject({ count: 2, subtotalCents: 2580 });
    expect(res.body.cart.lines).toEqual([
      expect.objectContaining({ productId: 'p-002', quantity: 2, unitPriceCents: 1290, lineTotalCents: 2580 }),
    ]);
  });

  it('welcomes a logged-in shopper by name (HTML)', async () => {
    const { agent } = await loggedIn('alice', 'alice-demo-pass');
    const page = decode((await agent.get(path).expect(200)).text);
    expect(page).toContain('<h1>Welcome back, alice</h1>');
    expect(page).toMatch(/<a href="\/account" class="site-nav__link[\w\s-]*">alice<\/a>/);
    expect(page).toContain('<a href="/logout" class="site-nav__link">Log out</a>');
  });
});

describe('the protected-page round trip (HTML)', () => {
  it('goes from /dashboard to the login form and back to /dashboard once logged in', async () => {
    const agent = request.agent(shop.app);
    const first = await agent.get('/dashboard').expect(302);
    const login = await agent.get(first.headers.location ?? '').expect(200);
    expect(login.text).toContain('<input type="hidden" name="returnTo" value="/dashboard">');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)?.[1];
    expect(csrf).toBeDefined();

    await agent
      .post('/login')
      .type('form')
      .send({ ...RAVI, returnTo: '/dashboard', _csrf: csrf })
      .expect(303)
      .expect('Location', '/dashboard');
    const page = decode((await agent.get('/dashboard').expect(200)).text);
    expect(page).toContain('Welcome back, ravi');
  });

  it('locks the page again after logging out', async () => {
    const { agent } = await loggedIn();
    await agent.get('/account').set(json).expect(200);
    await agent.post('/logout').set(json).send({}).expect(200);
    await agent.get('/account').set(json).expect(401);
    await agent.get('/account').expect(302).expect('Location', '/login?returnTo=%2Faccount');
  });
});

describe('GET /account: the order count', () => {
  it("counts the member's own orders only", async () => {
    const counted = await makeShop();
    const { agent } = await visitor(counted);
    await agent.post('/login').set(json).send({ username: 'alice', password: 'alice-demo-pass' }).expect(200);
    const yourOrders = async () => /Your orders \((\d+)\)/.exec((await agent.get('/account').expect(200)).text)?.[1];
    expect(await yourOrders()).toBe('0');
    for (const productId of ['p-001', 'p-002']) {
      await agent.post('/cart/items').set(json).send({ productId }).expect(200);
      const { checkoutToken } = (await agent.get('/checkout').set(json).expect(200)).body;
      await agent
        .post('/checkout')
        .set(json)
        .send({ ...contact, checkoutToken })
        .expect(201);
    }
    const guest = await visitor(counted);
    await guest.agent.post('/cart/items').set(json).send({ productId: 'p-003' }).expect(200);
    const { checkoutToken } = (await guest.agent.get('/checkout').set(json).expect(200)).body;
    await guest.agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken })
      .expect(201);
    expect(await yourOrders()).toBe('2');
  });
});
