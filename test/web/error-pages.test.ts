// Error pages wear the same frame as every page: the shopper's header, theme and
// cart count. Errors raised before there is a session get a neutral frame instead,
// and JSON callers get { error } as always.
import type { RedisClientType } from 'redis';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../helpers/log.js';
import { redisServerInstalled, usePrivateRedis } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';
import { csrfFrom, decode, json, makeShop, postForm, type Shop } from '../helpers/shop.js';

const RAVI = { username: 'ravi', password: 'ravi-demo-pass' };

/** Memory-store shop for the first two groups; the Redis group builds its own. */
let shop: Shop;
beforeEach(async () => {
  shop = await makeShop();
});

type Frame = { username?: string; cartCount: number; theme: 'light' | 'dark' };

/** The page's header, theme and cart badge are this shopper's. */
function expectFrame(html: string, frame: Frame): void {
  expect(html).toContain(`<html lang="en" data-theme="${frame.theme}">`);
  expect(html).toMatch(new RegExp(`data-cart-count>${frame.cartCount}</span>`));
  expect(html).toContain(`aria-label="Cart, ${frame.cartCount} ${frame.cartCount === 1 ? 'item' : 'items'}"`);
  if (frame.username === undefined) {
    expect(html).toContain('<a href="/login" class="site-nav__link">Log in</a>');
  } else {
    expect(html).toContain(`<a href="/account" class="site-nav__link">${frame.username}</a>`);
    expect(html).not.toContain('>Log in</a>');
  }
}

/** A 32-byte token as hex, masked: 64 bytes of mask and 64 of token XOR mask, base64url. */
const MASKED_TOKEN = /^[\w-]{171}$/;

/** A page with a session also carries its CSRF token, so the header's forms work. */
function expectCsrf(html: string): void {
  expect(csrfFrom(html)).toMatch(MASKED_TOKEN);
}

/** A shopper who chose the dark theme and put `quantity` of p-001 in the cart. */
async function darkShopper(agent: request.Agent, quantity: number): Promise<string> {
  await agent.post('/preferences').set(json).send({ theme: 'dark' }).expect(200);
  await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity }).expect(200);
  return csrfFrom((await agent.get('/').expect(200)).text);
}

/** Ravi, logged in, in the dark theme, with two items in the cart. */
async function member(shop: Shop) {
  const agent = request.agent(shop.app);
  await agent.get('/').expect(200);
  await agent.post('/login').set(json).send(RAVI).expect(200);
  const csrf = await darkShopper(agent, 2);
  return { agent, csrf };
}

describe('error pages for a shopper with a session', () => {
  it("shows a member's name, cart count and theme on a 404", async () => {
    const { agent } = await member(shop);
    const res = await agent.get('/no-such-page').expect(404);
    expect(res.type).toBe('text/html');
    expectFrame(res.text, { username: 'ravi', cartCount: 2, theme: 'dark' });
    expectCsrf(res.text);
    expect(res.text).toContain('Page not found');
    expect(res.text).toContain('Nothing here at /no-such-page');
  });

  it('shows the frame on a 403 for a form without its CSRF token', async () => {
    const { agent } = await member(shop);
    const res = await agent.post('/cart/items').type('form').send({ productId: 'p-002' }).expect(403);
    expectFrame(res.text, { username: 'ravi', cartCount: 2, theme: 'dark' });
    expect(res.text).toContain('This form has expired');
  });

  it('shows the frame on a 422 naming the bad field', async () => {
    const res = await postForm(await member(shop), '/cart/items', { productId: '' }).expect(422);
    expectFrame(res.text, { username: 'ravi', cartCount: 2, theme: 'dark' });
    expect(res.text).toContain('productId');
  });

  it("shows a guest's frame on a 429 after too many failed logins", async () => {
    const agent = request.agent(shop.app);
    await agent.get('/').expect(200);
    const csrf = await darkShopper(agent, 1);
    const wrong = { username: 'ravi', password: 'not-the-password', _csrf: csrf };
    let res = await agent.post('/login').type('form').send(wrong);
    for (let i = 0; i < 10 && res.status !== 429; i++) res = await agent.post('/login').type('form').send(wrong);
    expect(res.status).toBe(429);
    expectFrame(res.text, { cartCount: 1, theme: 'dark' });
    expect(res.text).toContain('Too many attempts');
  });

  it('shows the frame and a plain message on a 500, never the error itself', async () => {
    const { agent } = await member(shop);
    shop.services.stock.levelsOf = async () => {
      throw new Error('boom: stock table on fire');
    };
    const res = await agent.get('/cart').expect(500);
    expectFrame(res.text, { username: 'ravi', cartCount: 2, theme: 'dark' });
    expect(res.text).toContain('Something went wrong on our side. Please try again.');
    expect(res.text).not.toMatch(/boom|on fire|Error:|\bat .*\.[jt]s:\d+/);
  });

  it('answers JSON callers with { error } as before', async () => {
    const { agent } = await member(shop);
    const res = await agent.get('/no-such-page').set(json).expect(404);
    expect(res.body).toEqual({ error: 'Nothing here at /no-such-page' });
  });
});

describe('the request id on an error page', () => {
  it('shows the id to quote: the X-Request-Id of the answer, and of the logged error', async () => {
    const { logger, lines } = recordingLogger();
    const logged = await makeShop({ logger });
    const { agent } = await member(logged);
    logged.services.stock.levelsOf = async () => {
      throw new Error('boom: stock table on fire');
    };
    const res = await agent.get('/cart').expect(500);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.text).toContain(`quote this id: <code>${id}</code>`);
    expect(lines.find((l) => l.msg === 'request failed')).toMatchObject({ req: { id, url: '/cart' } });
  });

  it('shows an id sent in as it came, in the neutral frame too', async () => {
    const res = await request(shop.app).get('/css/no-such-file.css').set('X-Request-Id', 'edge-7').expect(404);
    expectFrame(res.text, { cartCount: 0, theme: 'light' });
    expect(res.text).toContain('quote this id: <code>edge-7</code>');
  });
});

describe('error pages raised before there is a session', () => {
  it('renders a body-parser error with the neutral frame, even for a member', async () => {
    const { agent } = await member(shop);
    const res = await agent
      .post('/cart/items')
      .set('Content-Type', 'application/json')
      .set('Accept', 'text/html')
      .send('{"productId": ')
      .expect(400);
    expectFrame(res.text, { cartCount: 0, theme: 'light' });
    expect(decode(res.text)).toContain('The request body is not valid JSON');
  });

  it('renders a missing static file with the neutral frame and creates no session', async () => {
    const res = await request(shop.app).get('/css/no-such-file.css').expect(404);
    expectFrame(res.text, { cartCount: 0, theme: 'light' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

const redisAvailable = toolAvailable('redis-server', redisServerInstalled());

describe.skipIf(!redisAvailable)('error pages when the session store fails', () => {
  const redis = usePrivateRedis();

  async function shopOnRedis(): Promise<{ shop: Shop; admin: RedisClientType }> {
    const client = await redis.client();
    const shop = await makeShop({ redis: client, env: { STORE_TIMEOUT_MS: '500' } });
    return { shop, admin: client };
  }

  it('renders the full frame on the 503 of a refused session save', async () => {
    const { shop, admin } = await shopOnRedis();
    const shopper = await member(shop);
    // Sessions become read-only; locks still work, so the refusal comes from the save itself.
    await admin.sendCommand(['ACL', 'SETUSER', 'default', 'resetkeys', '~shop:lock:*', '%R~shop:sess:*']);
    try {
      const res = await postForm(shopper, '/cart/items', { productId: 'p-002' });
      expect(res.status).toBe(503);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['retry-after']).toBe('5');
      expect(res.type).toBe('text/html');
      // The badge shows the cart as stored: 2, not the 3 the refused add would have made.
      expect(res.text).toMatch(/data-cart-count>2<\/span>/);
      expect(res.text).toContain('<html lang="en" data-theme="dark">');
      expect(res.text).toContain('<a href="/account" class="site-nav__link">ravi</a>');
      expectCsrf(res.text);
      expect(res.text).toMatch(/session store is unavailable/);
      expect(res.text).toContain('</html>');
    } finally {
      await admin.sendCommand(['ACL', 'SETUSER', 'default', 'resetkeys', '~*']);
    }
  });

  it('falls back to the neutral frame when a refused logout has left no session to read', async () => {
    const { shop, admin } = await shopOnRedis();
    const { agent, csrf } = await member(shop);
    // express-session drops req.session before the store destroys it; the store then refuses.
    await admin.sendCommand(['ACL', 'SETUSER', 'default', 'resetkeys', '~shop:lock:*', '%R~shop:sess:*']);
    try {
      const res = await postForm({ agent, csrf }, '/logout');
      expect(res.status).toBe(503);
      expectFrame(res.text, { cartCount: 0, theme: 'light' });
      expect(res.text).toMatch(/session store is unavailable/);
    } finally {
      await admin.sendCommand(['ACL', 'SETUSER', 'default', 'resetkeys', '~*']);
    }
    expect((await agent.get('/account').set(json).expect(200)).body.user).toEqual({ username: 'ravi' });
  });

  it('renders the neutral frame when the session cannot be loaded at all', async () => {
    const { shop } = await shopOnRedis();
    const { agent } = await member(shop);
    redis.server().pause();
    try {
      const res = await agent.get('/cart');
      expect(res.status).toBe(503);
      expectFrame(res.text, { cartCount: 0, theme: 'light' });
      expect(res.text).toMatch(/session store is unavailable/);
    } finally {
      redis.server().resume();
    }
  });
});
