// The session lock as the app mounts it: keyed by the session ID however the cookie
// is spelled, held until the session is written whatever the client does, and
// taken only once the request body has arrived.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { cartOf, json, makeShop, type Shop, sessionCookie, TEST_SECRET, visitor } from '../helpers/shop.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const servers: http.Server[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(shop: Shop): Promise<{ server: http.Server; port: number }> {
  const server = shop.app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Makes the next stock read take `ms`: a slow database, for the request that hits it. */
function slowDownNextStockRead(shop: Shop, ms: number): Promise<void> {
  const stock = shop.services.stock;
  const levelOf = stock.levelOf.bind(stock);
  return new Promise((reached) => {
    stock.levelOf = async (productId) => {
      stock.levelOf = levelOf;
      reached();
      await sleep(ms);
      return levelOf(productId);
    };
  });
}

/** A JSON add to cart over a plain socket, so the test can hang up on it at will. */
function rawAdd(port: number, cookie: string, productId: string): http.ClientRequest {
  const req = http.request({
    port,
    host: '127.0.0.1',
    method: 'POST',
    path: '/cart/items',
    headers: { Cookie: cookie, 'Content-Type': 'application/json', Accept: 'application/json' },
  });
  req.on('error', () => {});
  req.end(JSON.stringify({ productId }));
  return req;
}

const sign = (id: string, secret: string) =>
  `s:${id}.${createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '')}`;

describe('the session lock', () => {
  it('keeps every add when one session is spelled three ways (encoded, decoded, older secret)', async () => {
    const older = 'an-older-secret-that-is-at-least-32-characters';
    const env = { SESSION_SECRET: `${TEST_SECRET},${older}`, SESSION_MAX_WAITING: '64' }; // 40 at once on one session
    const shop = await makeShop({ env, demoAccounts: false });
    const first = await request(shop.app).get('/').expect(200);
    const encoded = sessionCookie(first) ?? '';
    const decoded = decodeURIComponent(encoded);
    const id = decoded.slice(2, decoded.lastIndexOf('.'));
    const spellings = [encoded, decoded, encodeURIComponent(sign(id, older))];
    const products = ['p-001', 'p-002', 'p-003', 'p-005']; // 10 of each: the per-line cap, within stock
    const adds = Array.from({ length: 40 }, (_, i) =>
      request(shop.app)
        .post('/cart/items')
        .set('Cookie', `shop.sid=${spellings[i % 3]}`)
        .set(json)
        .send({ productId: products[i % 4], quantity: 1 }),
    );
    const answers = await Promise.all(adds);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const cart = (await request(shop.app).get('/cart').set('Cookie', `shop.sid=${encoded}`).set(json)).body.cart;
    expect(cart.count).toBe(40);
  });

  it('is held until the session is saved even when the client hangs up mid-request', async () => {
    const shop = await makeShop({ demoAccounts: false });
    const { port } = await listen(shop);
    const { agent } = await visitor(shop);
    const home = await agent.get('/').set(json);
    const cookie = `shop.sid=${sessionCookie(home) ?? ''}`;
    // A: an add whose handler is slow (the stock read takes 300 ms); its client leaves after it starts.
    const reached = slowDownNextStockRead(shop, 300);
    const hungUp = rawAdd(port, cookie, 'p-001');
    await reached;
    hungUp.destroy();
    // B: answered 200, so its add must survive A's late save.
    await agent.post('/cart/items').set(json).send({ productId: 'p-002' }).expect(200);
    await sleep(400);
    const ids = (await cartOf(agent)).lines.map((l: { productId: string }) => l.productId);
    expect(ids).toContain('p-002');
    expect(ids).toContain('p-001');
  });

  it('does no work for a request whose client hung up while it waited, and moves on', async () => {
    const shop = await makeShop({ demoAccounts: false });
    const { port } = await listen(shop);
    const { agent } = await visitor(shop);
    const cookie = `shop.sid=${sessionCookie(await agent.get('/').set(json)) ?? ''}`;
    // A holds the lock for 300 ms (a slow stock read).
    const reached = slowDownNextStockRead(shop, 300);
    const holding = agent.post('/cart/items').set(json).send({ productId: 'p-001' });
    const held = holding.then((res) => res.status);
    await reached;
    // B queues behind A with an add, and its client leaves before A is done.
    const waiting = rawAdd(port, cookie, 'p-002');
    await sleep(50);
    waiting.destroy();
    expect(await held).toBe(200);
    // The lock moved on, and B's add was never applied: nobody was there to be told.
    const ids = (await cartOf(agent)).lines.map((l: { productId: string }) => l.productId);
    expect(ids).toEqual(['p-001']);
  });

  it('is not held while a request body is still arriving', async () => {
    const shop = await makeShop({ env: { LOCK_WAIT_MS: '1000' }, demoAccounts: false });
    const { server } = await listen(shop);
    const { agent } = await visitor(shop);
    const home = await agent.get('/').set(json);
    const cookie = `shop.sid=${sessionCookie(home) ?? ''}`;
    const { port } = server.address() as AddressInfo;
    const slowUpload = http.request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/cart/items',
      headers: {
        Cookie: cookie,
        'Content-Type': 'application/json',
        'Content-Length': '200',
        Accept: 'application/json',
      },
    });
    slowUpload.on('error', () => {});
    slowUpload.write('{"productId":');
    await sleep(50);
    try {
      await request(server)
        .post('/cart/items')
        .set('Cookie', cookie)
        .set(json)
        .send({ productId: 'p-002' })
        .expect(200);
    } finally {
      slowUpload.destroy();
    }
  });
});
