import { beforeEach, describe, expect, it } from 'vitest';
import { cartOf, decode, json, makeShop, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeEach(async () => {
  shop = await makeShop();
});

describe('POST /cart/items (JSON)', () => {
  it('adds a product and answers the priced cart', async () => {
    const { agent } = await visitor(shop);
    const res = await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    expect(res.body.cart).toEqual({
      lines: [
        {
          productId: 'p-001',
          slug: 'ethiopia-yirgacheffe-beans-250-g',
          name: 'Ethiopia Yirgacheffe Beans 250 g',
          quantity: 2,
          unitPriceCents: 1450,
          lineTotalCents: 2900,
        },
      ],
      count: 2,
      subtotalCents: 2900,
    });
  });

  it('adds one when no quantity is given, and adds up repeated adds', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-002' }).expect(200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 3 }).expect(200);
    const cart = await cartOf(agent);
    expect(cart.lines).toHaveLength(1);
    expect(cart.count).toBe(4);
  });

  it('refuses more than the stock with 409 and keeps the cart as it was', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-004', quantity: 2 }).expect(200);
    const res = await agent.post('/cart/items').set(json).send({ productId: 'p-004', quantity: 2 }).expect(409);
    expect(res.body.error).toBe('Only 3 left in stock');
    expect((await cartOf(agent)).count).toBe(2);
  });

  it('refuses a sold-out product with 409', async () => {
    const { agent } = await visitor(shop);
    const res = await agent.post('/cart/items').set(json).send({ productId: 'p-006' }).expect(409);
    expect(res.body.error).toContain('sold out');
  });

  it('refuses going beyond the per-line cap with 422, never clamping', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 9 }).expect(200);
    const res = await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(422);
    expect(res.body.error).toBe('At most 10 of one product per order');
    expect(res.body.issues).toEqual([{ path: 'quantity', message: 'At most 10 of one product per order' }]);
    expect((await cartOf(agent)).count).toBe(9);
  });

  it('refuses a product beyond the most lines allowed', async () => {
    const small = await makeShop({ env: { CART_MAX_LINES: '2' } });
    const { agent } = await visitor(small);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-002' }).expect(200);
    const res = await agent.post('/cart/items').set(json).send({ productId: 'p-003' }).expect(422);
    expect(res.body.error).toContain('2 different products');
  });

  it('refuses an unknown product id with 422 naming productId', async () => {
    const { agent } = await visitor(shop);
    const res = await agent.post('/cart/items').set(json).send({ productId: 'p-999' }).expect(422);
    expect(res.body.issues[0].path).toBe('productId');
  });
});

describe('cart lifecycle (JSON)', () => {
  it('sets quantities, removes lines and clears the cart', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 1 }).expect(200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 1 }).expect(200);
    await agent.post('/cart/items').set(json).send({ productId: 'p-003', quantity: 1 }).expect(200);

    let res = await agent.post('/cart/items/p-001').set(json).send({ quantity: 5 }).expect(200);
    expect(res.body.cart.lines[0]).toMatchObject({ productId: 'p-001', quantity: 5, lineTotalCents: 7250 });

    res = await agent.post('/cart/items/p-002').set(json).send({ quantity: 0 }).expect(200);
    expect(res.body.cart.lines.map((l: { productId: string }) => l.productId)).toEqual(['p-001', 'p-003']);

    res = await agent.post('/cart/items/p-003/remove').set(json).send({}).expect(200);
    expect(res.body.cart.lines.map((l: { productId: string }) => l.productId)).toEqual(['p-001']);

    res = await agent.post('/cart/clear').set(json).send({}).expect(200);
    expect(res.body.cart).toEqual({ lines: [], count: 0, subtotalCents: 0 });
  });

  it('prices the cart from the catalog at read time', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    const product = shop.catalog.findById('p-001');
    if (product) product.priceCents = 2000;
    expect((await cartOf(agent)).subtotalCents).toBe(4000);
  });

  it('keeps one shopper’s cart away from another', async () => {
    const a = await visitor(shop);
    const b = await visitor(shop);
    await a.agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    expect((await cartOf(b.agent)).count).toBe(0);
  });
});

describe('cart lifecycle (HTML forms)', () => {
  it('adds with a form post, redirects (303) and shows the line and the badge', async () => {
    const { agent, csrf } = await visitor(shop);
    const res = await agent
      .post('/cart/items')
      .type('form')
      .send({ productId: 'p-001', quantity: '3', _csrf: csrf, returnTo: '/products/ethiopia-yirgacheffe-beans-250-g' })
      .expect(303);
    expect(res.headers.location).toBe('/products/ethiopia-yirgacheffe-beans-250-g');
    const page = decode((await agent.get('/cart').expect(200)).text);
    expect(page).toContain('Added 3 × Ethiopia Yirgacheffe Beans 250 g to your cart.');
    expect(page).toContain('data-cart-count>3<');
    expect(page).toContain('$43.50');
  });

  it('shows a flash message once only', async () => {
    const { agent, csrf } = await visitor(shop);
    await agent.post('/cart/items').type('form').send({ productId: 'p-001', _csrf: csrf }).expect(303);
    expect((await agent.get('/cart')).text).toContain('to your cart.');
    expect((await agent.get('/cart')).text).not.toContain('to your cart.');
  });

  it('re-renders the product page with the message when the stock is short (409)', async () => {
    const { agent, csrf } = await visitor(shop);
    const res = await agent
      .post('/cart/items')
      .type('form')
      .send({ productId: 'p-004', quantity: '4', _csrf: csrf })
      .expect(409);
    expect(decode(res.text)).toContain('Only 3 left in stock');
    expect(decode(res.text)).toContain('Sumatra');
  });

  it('re-renders the cart with the message when a quantity is refused', async () => {
    const { agent, csrf } = await visitor(shop);
    await agent.post('/cart/items').type('form').send({ productId: 'p-001', _csrf: csrf }).expect(303);
    const res = await agent.post('/cart/items/p-001').type('form').send({ quantity: '11', _csrf: csrf }).expect(422);
    expect(decode(res.text)).toContain('At most 10 of one product per order');
    expect((await cartOf(agent)).count).toBe(1);
  });

  it('updates, removes and clears with forms', async () => {
    const { agent, csrf } = await visitor(shop);
    await agent.post('/cart/items').type('form').send({ productId: 'p-001', _csrf: csrf }).expect(303);
    await agent.post('/cart/items').type('form').send({ productId: 'p-002', _csrf: csrf }).expect(303);
    await agent.post('/cart/items/p-001').type('form').send({ quantity: '4', _csrf: csrf }).expect(303);
    expect((await cartOf(agent)).count).toBe(5);
    await agent.post('/cart/items/p-001/remove').type('form').send({ _csrf: csrf }).expect(303);
    expect((await cartOf(agent)).count).toBe(1);
    await agent.post('/cart/clear').type('form').send({ _csrf: csrf }).expect(303);
    expect(decode((await agent.get('/cart')).text)).toContain('Your cart is empty.');
  });

  it('never redirects off-site after a post', async () => {
    const { agent, csrf } = await visitor(shop);
    for (const returnTo of ['https://evil.example/', '//evil.example', '/\\evil.example', '/\t/evil.example']) {
      const res = await agent
        .post('/cart/items')
        .type('form')
        .send({ productId: 'p-001', _csrf: csrf, returnTo })
        .expect(303);
      expect(res.headers.location).toBe('/cart');
    }
  });
});
