import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { json, makeShop, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeAll(async () => {
  shop = await makeShop({ demoAccounts: false });
});

/** Everything the session holds, as the inspector reports it. */
async function snapshot(agent: request.Agent) {
  const res = await agent.get('/session').set(json).expect(200);
  return { data: res.body.data, timeline: res.body.timeline };
}

async function shopperWithCart() {
  const v = await visitor(shop);
  await v.agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
  return v;
}

describe('CSRF protection', () => {
  it('refuses a form post without a token with 403', async () => {
    const { agent } = await shopperWithCart();
    const before = await snapshot(agent);
    const res = await agent.post('/cart/items').type('form').send({ productId: 'p-002' }).expect(403);
    expect(res.text).toContain('This form has expired');
    expect(await snapshot(agent)).toEqual(before);
  });

  it('refuses a form post with another session’s token', async () => {
    const other = await visitor(shop);
    const { agent } = await shopperWithCart();
    await agent.post('/cart/items').type('form').send({ productId: 'p-002', _csrf: other.csrf }).expect(403);
  });

  it('refuses JSON from another site (Origin or Sec-Fetch-Site) without a token', async () => {
    const { agent } = await shopperWithCart();
    await agent.post('/cart/clear').set(json).set('Origin', 'https://evil.example').send({}).expect(403);
    await agent.post('/cart/clear').set(json).set('Sec-Fetch-Site', 'cross-site').send({}).expect(403);
    expect((await agent.get('/cart').set(json)).body.cart.count).toBe(2);
  });

  it('accepts same-origin JSON, as the page’s own script sends it', async () => {
    const { agent } = await shopperWithCart();
    const res = await agent.post('/cart/clear').set(json).set('Sec-Fetch-Site', 'same-origin').send({}).expect(200);
    expect(res.body.cart.count).toBe(0);
  });

  it('refuses a JSON body sent as text/plain (a cross-site form can send that)', async () => {
    const { agent } = await shopperWithCart();
    await agent.post('/cart/clear').set(json).set('Content-Type', 'text/plain').send('{}').expect(403);
  });

  it('accepts a form post carrying the token in the X-CSRF-Token header', async () => {
    const { agent, csrf } = await shopperWithCart();
    await agent.post('/cart/clear').type('form').set('X-CSRF-Token', csrf).send({}).expect(303);
  });
});

describe('malformed input', () => {
  const bodies: [string, unknown, number][] = [
    ['quantity as a string of letters', { productId: 'p-001', quantity: 'lots' }, 422],
    ['quantity negative', { productId: 'p-001', quantity: -1 }, 422],
    ['quantity zero on add', { productId: 'p-001', quantity: 0 }, 422],
    ['quantity fractional', { productId: 'p-001', quantity: 1.5 }, 422],
    ['quantity fractional as a string', { productId: 'p-001', quantity: '2.5' }, 422],
    ['quantity huge', { productId: 'p-001', quantity: 1e21 }, 422],
    ['quantity as a boolean', { productId: 'p-001', quantity: true }, 422],
    ['quantity null', { productId: 'p-001', quantity: null }, 422],
    ['quantity an array', { productId: 'p-001', quantity: [1] }, 422],
    ['productId missing', { quantity: 1 }, 422],
    ['productId a number', { productId: 1, quantity: 1 }, 422],
    ['productId an object', { productId: { $ne: null }, quantity: 1 }, 422],
    ['productId unknown', { productId: 'nope', quantity: 1 }, 422],
    ['productId with odd characters', { productId: '../../etc/passwd', quantity: 1 }, 422],
    ['an array body', [{ productId: 'p-001' }], 400],
  ];

  for (const [what, body, status] of bodies) {
    it(`answers ${status} for ${what} and leaves the session as it was`, async () => {
      const { agent } = await shopperWithCart();
      const before = await snapshot(agent);
      const res = await agent
        .post('/cart/items')
        .set(json)
        .send(body as object)
        .expect(status);
      expect(res.body.error).toEqual(expect.any(String));
      expect(await snapshot(agent)).toEqual(before);
    });
  }

  it('names the failing field in the message and the issues', async () => {
    const { agent } = await visitor(shop);
    const res = await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 'x' }).expect(422);
    expect(res.body.error).toMatch(/^quantity: /);
    expect(res.body.issues[0].path).toBe('quantity');
  });

  it('ignores __proto__ keys instead of polluting anything', async () => {
    const { agent } = await shopperWithCart();
    const body = '{"productId":"p-002","quantity":1,"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}';
    const res = await agent
      .post('/cart/items')
      .set(json)
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(200);
    expect(res.body.cart.count).toBe(3);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const prefs = await agent
      .post('/preferences')
      .set(json)
      .set('Content-Type', 'application/json')
      .send('{"__proto__":{"theme":"dark"}}')
      .expect(200);
    expect(prefs.body.prefs.theme).toBe('light');
  });

  it('answers broken JSON with 400, session unchanged', async () => {
    const { agent } = await shopperWithCart();
    const before = await snapshot(agent);
    const res = await agent
      .post('/cart/items')
      .set(json)
      .set('Content-Type', 'application/json')
      .send('{"productId": "p-0')
      .expect(400);
    expect(res.body.error).toBe('The request body is not valid JSON');
    expect(await snapshot(agent)).toEqual(before);
  });

  it('answers a JSON scalar with 400', async () => {
    const { agent } = await shopperWithCart();
    await agent.post('/cart/items').set(json).set('Content-Type', 'application/json').send('"p-001"').expect(400);
  });

  it('answers an oversized body with 413, session unchanged', async () => {
    const { agent } = await shopperWithCart();
    const before = await snapshot(agent);
    const res = await agent
      .post('/cart/items')
      .set(json)
      .send({ productId: 'p-001', padding: 'x'.repeat(20_000) })
      .expect(413);
    expect(res.body.error).toBe('The request body is too large');
    expect(await snapshot(agent)).toEqual(before);
  });

  it('answers an oversized form with 413 as an HTML page', async () => {
    const { agent, csrf } = await shopperWithCart();
    const res = await agent
      .post('/cart/items')
      .type('form')
      .send({ productId: 'p-001', _csrf: csrf, padding: 'x'.repeat(20_000) })
      .expect(413);
    expect(res.headers['content-type']).toMatch(/html/);
  });

  it('refuses a malformed product id in the path with 422', async () => {
    const { agent } = await shopperWithCart();
    const res = await agent.post('/cart/items/%3Cscript%3E').set(json).send({ quantity: 1 }).expect(422);
    expect(res.body.issues[0].path).toBe('productId');
  });

  it('escapes what the shopper typed when it is shown back', async () => {
    const res = await (await visitor(shop)).agent.get('/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E').expect(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;');
  });

  it('sends a Content-Security-Policy that forbids inline scripts', async () => {
    const res = await (await visitor(shop)).agent.get('/').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
  });
});
