// A fault of ours is a 500 that tells the shopper only that it is ours, in the page's
// frame or as { error }; the cause goes to the log, and the session loses nothing.
import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../helpers/log.js';
import { cartOf, json, makeShop, type Shop, visitor } from '../helpers/shop.js';

const OURS = 'Something went wrong on our side. Please try again.';
const LEAKS = /boom|on fire|Error:|\bat .*\.[jt]s:\d+|node_modules/;

/** A shop whose log lines the test can read. */
async function loggedShop() {
  const { logger, lines } = recordingLogger('error');
  const shop = await makeShop({ logger, demoAccounts: false });
  return { shop, lines };
}

/** Every read of the stock fails from now on, with `thrown` (not always an Error). */
function breakStock(shop: Shop, thrown: unknown): void {
  const fail = async () => {
    throw thrown;
  };
  shop.services.stock.levels = fail;
  shop.services.stock.levelsOf = fail;
  shop.services.stock.levelOf = fail;
}

describe('a 500', () => {
  it('answers a JSON caller with the plain message alone', async () => {
    const { shop } = await loggedShop();
    const { agent } = await visitor(shop);
    breakStock(shop, new Error('boom: stock table on fire'));
    const res = await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(500);
    expect(res.body).toEqual({ error: OURS });
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('shows a browser the guest frame and the plain message, whatever was thrown', async () => {
    const { shop } = await loggedShop();
    const { agent } = await visitor(shop);
    breakStock(shop, 'boom: a bare string');
    const res = await agent.get('/cart').expect(500);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('<html lang="en" data-theme="light">');
    expect(res.text).toContain('<a href="/login" class="site-nav__link">Log in</a>');
    expect(res.text).toContain('<title>Something went wrong');
    expect(res.text).toContain(OURS);
    expect(res.text).not.toMatch(LEAKS);
  });

  it('logs the cause, with the request it failed', async () => {
    const { shop, lines } = await loggedShop();
    const { agent } = await visitor(shop);
    breakStock(shop, new Error('boom: stock table on fire'));
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(500);
    const failed = lines.find((line) => line.msg === 'request failed');
    expect(failed?.err).toMatchObject({ message: 'boom: stock table on fire' });
    expect(failed?.req).toMatchObject({ method: 'POST', url: '/cart/items' });
  });

  it('keeps the cart as it was before the failed change', async () => {
    const { shop } = await loggedShop();
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    const { levels, levelsOf, levelOf } = shop.services.stock;
    breakStock(shop, new Error('boom'));
    await agent.post('/cart/items').set(json).send({ productId: 'p-002' }).expect(500);
    Object.assign(shop.services.stock, { levels, levelsOf, levelOf });
    const cart = await cartOf(agent);
    expect(cart.lines.map((l: { productId: string; quantity: number }) => [l.productId, l.quantity])).toEqual([
      ['p-001', 2],
    ]);
  });
});
