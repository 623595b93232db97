import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode, json, makeShop, type Shop } from '../helpers/shop.js';

let shop: Shop;
beforeAll(async () => {
  shop = await makeShop({ env: { NODE_ENV: 'development' } });
});

const RAVI = { username: 'ravi', password: 'ravi-demo-pass' };
const PRODUCT = '/products/ethiopia-yirgacheffe-beans-250-g';

/** The tour panel's heading, next step and last change, as a person reads them. */
async function tour(agent: request.Agent, path = '/') {
  const html = decode((await agent.get(path).expect(200)).text);
  const panel = /<aside class="tour[^"]*"[^>]*>([\s\S]*?)<\/aside>/.exec(html)?.[1];
  if (panel === undefined) return undefined;
  const text = (re: RegExp) =>
    re
      .exec(panel)?.[1]
      ?.replace(/<[^>]+>/g, '')
      .trim();
  return {
    title: text(/<h2[^>]*>([\s\S]*?)<\/h2>/),
    next: text(/<p class="tour__next">([\s\S]*?)<\/p>/),
    href: /<p class="tour__next"><a href="([^"]*)">/.exec(panel)?.[1],
    change: text(/<p class="tour__change[^"]*">([\s\S]*?)<\/p>/),
  };
}

describe('the guided tour', () => {
  it('walks a learner through the seven steps, from the session’s own timeline', async () => {
    const agent = request.agent(shop.app);
    expect(await tour(agent)).toEqual({
      title: 'Tour — Step 1 of 7',
      next: 'Open a product page.',
      href: `/products/${shop.catalog.products[0]?.slug}`,
      change: 'Last change in your session: created',
    });
    expect((await tour(agent, PRODUCT))?.title).toBe('Tour — Step 2 of 7');
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    expect(await tour(agent)).toMatchObject({
      title: 'Tour — Step 3 of 7',
      change: 'Last change in your session: cart.add: cart.p-001: 0 → 2',
    });
    expect((await tour(agent, '/session'))?.title).toBe('Tour — Step 4 of 7');
    await agent.post('/login').set(json).send(RAVI).expect(200);
    expect((await tour(agent, '/cart'))?.title).toBe('Tour — Step 5 of 7');
    expect((await tour(agent, '/session'))?.title).toBe('Tour — Step 6 of 7');
    await agent.post('/logout').set(json).send({}).expect(200);
    expect(await tour(agent)).toMatchObject({
      title: 'Tour — Step 7 of 7',
      change: 'Last change in your session: logout: user: ravi → none',
    });
    expect((await tour(agent, '/lab'))?.title).toBe('Tour complete');
  });

  it('links steps 1 and 2 to where they happen: a product page, and its add form', async () => {
    const agent = request.agent(shop.app);
    const first = shop.catalog.products[0];
    expect((await tour(agent, '/cart'))?.href).toBe(`/products/${first?.slug}`);
    expect(await tour(agent, PRODUCT)).toMatchObject({ title: 'Tour — Step 2 of 7', href: `${PRODUCT}#quantity` });
    // Elsewhere, step 2 leads back to the product last viewed.
    expect(await tour(agent, '/cart')).toMatchObject({ title: 'Tour — Step 2 of 7', href: PRODUCT });
    expect(decode((await agent.get(PRODUCT).expect(200)).text)).toContain('<select id="quantity"');
  });

  it('waits for the earlier steps before a visit to the labs completes it', async () => {
    const agent = request.agent(shop.app);
    await agent.get('/lab').expect(200);
    expect((await tour(agent, '/lab'))?.title).toBe('Tour — Step 1 of 7');
    await agent.post('/login').set(json).send(RAVI).expect(200);
    expect((await tour(agent, '/lab'))?.title).toBe('Tour — Step 5 of 7');
  });

  it('shows each shopper their own step on the same cached catalog page', async () => {
    const ahead = request.agent(shop.app);
    await ahead.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    await ahead.get(PRODUCT).expect(200);
    const behind = request.agent(shop.app);
    expect((await tour(behind))?.title).toBe('Tour — Step 1 of 7');
    expect((await tour(ahead))?.title).toBe('Tour — Step 3 of 7');
    expect((await tour(behind))?.title).toBe('Tour — Step 1 of 7');
  });

  it('is shown only in development with the inspector on', async () => {
    const testing = await makeShop({ demoAccounts: false });
    expect(await tour(request.agent(testing.app))).toBeUndefined();
    const off = await makeShop({ env: { NODE_ENV: 'development', SESSION_INSPECTOR: 'off' }, demoAccounts: false });
    expect(await tour(request.agent(off.app))).toBeUndefined();
  });
});
