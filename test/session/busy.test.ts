// A request that waits LOCK_WAIT_MS behind another on the same session is turned away
// with a 503 the shopper can act on, and changes nothing; the session itself is fine.
import { describe, expect, it } from 'vitest';
import { sessionIdFromCookie } from '../../src/session/store/session-id.js';
import { cartOf, json, makeShop, type Shop, sessionCookie, TEST_SECRET, visitor } from '../helpers/shop.js';

const BUSY = 'Your session is busy with another request. Please try again.';

/** A shopper with one item, and a hold on their session's lock as a slow request would have. */
async function shopperHeldUp(shop: Shop) {
  const { agent, csrf } = await visitor(shop);
  const added = await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
  const id = sessionIdFromCookie(`shop.sid=${sessionCookie(added) ?? ''}`, 'shop.sid', [TEST_SECRET]);
  if (id === undefined) throw new Error('no session cookie');
  const held = await shop.services.lock.acquire(id, 1000);
  if (held === undefined) throw new Error('the lock was not free');
  return { agent, csrf, held };
}

describe('a session busy with another request', () => {
  it('answers a JSON caller 503 with Retry-After and a message, and applies nothing', async () => {
    const shop = await makeShop({ env: { LOCK_WAIT_MS: '50' }, demoAccounts: false });
    const { agent, held } = await shopperHeldUp(shop);
    const res = await agent.post('/cart/items').set(json).send({ productId: 'p-002' });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toEqual({ error: BUSY });
    await held.release();
    expect((await cartOf(agent)).lines.map((l: { productId: string }) => l.productId)).toEqual(['p-001']);
  });

  it('shows a browser the error page with the same message', async () => {
    const shop = await makeShop({ env: { LOCK_WAIT_MS: '50' }, demoAccounts: false });
    const { agent, csrf, held } = await shopperHeldUp(shop);
    const res = await agent.post('/cart/items').type('form').send({ productId: 'p-002', _csrf: csrf });
    expect(res.status).toBe(503);
    expect(res.type).toBe('text/html');
    expect(res.headers['retry-after']).toBe('5');
    expect(res.text).toContain(BUSY);
    expect(res.text).toContain('<title>Something went wrong');
    await held.release();
  });

  it('serves the shopper again as soon as the other request is done', async () => {
    const shop = await makeShop({ env: { LOCK_WAIT_MS: '50' }, demoAccounts: false });
    const { agent, held } = await shopperHeldUp(shop);
    await agent.get('/cart').set(json).expect(503);
    await held.release();
    await agent.post('/cart/items').set(json).send({ productId: 'p-002' }).expect(200);
    expect((await cartOf(agent)).lines.map((l: { productId: string }) => l.productId)).toEqual(['p-001', 'p-002']);
  });
});
