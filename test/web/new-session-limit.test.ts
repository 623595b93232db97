// A flood of cookieless requests from one address: past NEW_SESSION_IP_LIMIT a minute
// it is refused, so it can neither fill the store with carts nor push shoppers out.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { cartOf, json, makeShop, visitor } from '../helpers/shop.js';

const env = { NEW_SESSION_IP_LIMIT: '20', SESSION_STORE_MAX: '50', SESSION_EMPTY_STORE_MAX: '20' };

describe('new sessions per IP', () => {
  it('refuses cookieless requests past the limit with 429 and Retry-After', async () => {
    const shop = await makeShop({ env, demoAccounts: false });
    const statuses: number[] = [];
    let refused: request.Response | undefined;
    for (let i = 0; i < 30; i++) {
      const res = await request(shop.app).get('/').set(json);
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(refused?.headers['retry-after']).toBeDefined();
    expect(refused?.body.error).toMatch(/new visits from your network/);
  });

  it('never refuses a shopper who already has a session, nor another address', async () => {
    const shop = await makeShop({ env: { ...env, TRUST_PROXY: 'loopback' }, demoAccounts: false });
    const { agent } = await visitor(shop);
    for (let i = 0; i < 30; i++) await request(shop.app).get('/').set('X-Forwarded-For', '203.0.113.7');
    await agent.get('/cart').set(json).expect(200);
    await request(shop.app).get('/').set('X-Forwarded-For', '198.51.100.9').expect(200);
  });

  it('keeps a guest’s cart through a flood of cookieless adds to cart', async () => {
    const shop = await makeShop({ env, demoAccounts: false });
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    for (let i = 0; i < 200; i++) {
      await request(shop.app).post('/cart/items').set(json).send({ productId: 'p-002' });
    }
    expect((await cartOf(agent)).lines).toEqual([expect.objectContaining({ productId: 'p-001', quantity: 2 })]);
  });
});
