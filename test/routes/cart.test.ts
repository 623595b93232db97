import type request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadProducts } from '../../src/catalog/products.js';
import { cartOf, decode, EMPTY_CART, json, makeShop, postForm, type Shop, visitor } from '../helpers/shop.js';
import { storeCart } from './stored-session.js';

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
          unitPrice: '$14.50',
          lineTotal: '$29.00',
        },
      ],
      count: 2,
      subtotalCents: 2900,
      shippingCents: 495,
      totalCents: 3395,
      subtotal: '$29.00',
      shipping: '$4.95',
      total: '$33.95',
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
    expect(res.body.error).toBe(
      'Only 3 left in stock. You have 2 of Sumatra Mandheling Dark Roast 500 g in your cart; you can add 1 more.',
    );
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
    const message =
      'At most 10 of one product per order. You have 9 of Ethiopia Yirgacheffe Beans 250 g in your cart; you can add 1 more.';
    expect(res.body.error).toBe(message);
    expect(res.body.issues).toEqual([{ path: 'quantity', message }]);
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
    expect(res.body.cart).toEqual(EMPTY_CART);
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
    const res = await postForm({ agent, csrf }, '/cart/items', {
      productId: 'p-001',
      quantity: '3',
      returnTo: '/products/ethiopia-yirgacheffe-beans-250-g',
    }).expect(303);
    expect(res.headers.location).toBe('/products/ethiopia-yirgacheffe-beans-250-g');
    const page = decode((await agent.get('/cart').expect(200)).text);
    expect(page).toContain('Added 3 × Ethiopia Yirgacheffe Beans 250 g to your cart.');
    expect(page).toContain('data-cart-count>3<');
    expect(page).toContain('$43.50');
  });

  it('shows a flash message once only', async () => {
    const { agent, csrf } = await visitor(shop);
    await postForm({ agent, csrf }, '/cart/items', { productId: 'p-001' }).expect(303);
    expect((await agent.get('/cart')).text).toContain('to your cart.');
    expect((await agent.get('/cart')).text).not.toContain('to your cart.');
  });

  it('re-renders the product page with the message when the stock is short (409)', async () => {
    const { agent, csrf } = await visitor(shop);
    const res = await postForm({ agent, csrf }, '/cart/items', { productId: 'p-004', quantity: '4' }).expect(409);
    expect(decode(res.text)).toContain('Only 3 left in stock');
    expect(decode(res.text)).toContain('Sumatra');
  });

  it('re-renders the cart with the message when a quantity is refused', async () => {
    const { agent, csrf } = await visitor(shop);
    await postForm({ agent, csrf }, '/cart/items', { productId: 'p-001' }).expect(303);
    const res = await postForm({ agent, csrf }, '/cart/items/p-001', { quantity: '11' }).expect(422);
    expect(decode(res.text)).toContain('At most 10 of one product per order');
    expect((await cartOf(agent)).count).toBe(1);
  });

  it('updates, removes and clears with forms', async () => {
    const { agent, csrf } = await visitor(shop);
    await postForm({ agent, csrf }, '/cart/items', { productId: 'p-001' }).expect(303);
    await postForm({ agent, csrf }, '/cart/items', { productId: 'p-002' }).expect(303);
    await postForm({ agent, csrf }, '/cart/items/p-001', { quantity: '4' }).expect(303);
    expect((await cartOf(agent)).count).toBe(5);
    await postForm({ agent, csrf }, '/cart/items/p-001/remove').expect(303);
    expect((await cartOf(agent)).count).toBe(1);
    await postForm({ agent, csrf }, '/cart/clear').expect(303);
    expect(decode((await agent.get('/cart')).text)).toContain('Your cart is empty.');
  });

  it('never redirects off-site after a post', async () => {
    const { agent, csrf } = await visitor(shop);
    for (const returnTo of ['https://evil.example/', '//evil.example', '/\\evil.example', '/\t/evil.example']) {
      const res = await postForm({ agent, csrf }, '/cart/items', { productId: 'p-001', returnTo }).expect(303);
      expect(res.headers.location).toBe('/cart');
    }
  });
});

describe('the cart summary (count, subtotal, shipping, total)', () => {
  /** [count, subtotalCents, shippingCents, totalCents] */
  type Figures = [number, number, number, number];
  const figures = (cart: Record<string, unknown>) => [
    cart.count,
    cart.subtotalCents,
    cart.shippingCents,
    cart.totalCents,
  ];
  const ravi = { username: 'ravi', password: 'ravi-demo-pass' };

  it('comes with every cart JSON answer, shipping free from $50', async () => {
    const { agent } = await visitor(shop);
    const steps: [string, () => request.Test, Figures][] = [
      ['GET /cart', () => agent.get('/cart'), [0, 0, 0, 0]],
      ['add', () => agent.post('/cart/items').send({ productId: 'p-001', quantity: 2 }), [2, 2900, 495, 3395]],
      ['set', () => agent.post('/cart/items/p-001').send({ quantity: 4 }), [4, 5800, 0, 5800]],
      ['add more', () => agent.post('/cart/items').send({ productId: 'p-002' }), [5, 7090, 0, 7090]],
      ['remove', () => agent.post('/cart/items/p-001/remove').send({}), [1, 1290, 495, 1785]],
      ['clear', () => agent.post('/cart/clear').send({}), [0, 0, 0, 0]],
      ['add again', () => agent.post('/cart/items').send({ productId: 'p-003' }), [1, 3990, 495, 4485]],
      ['login', () => agent.post('/login').send(ravi), [1, 3990, 495, 4485]],
      ['account', () => agent.get('/account'), [1, 3990, 495, 4485]],
      ['logout', () => agent.post('/logout').send({}), [0, 0, 0, 0]],
    ];
    for (const [step, send, expected] of steps) {
      const res = await send().set(json).expect(200);
      expect([step, ...figures(res.body.cart)]).toEqual([step, ...expected]);
    }
  });

  it('shows the same figures on the cart page', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    const page = (await agent.get('/cart').expect(200)).text;
    expect(page).toMatch(/data-cart-subtotal><span class="price">\$29\.00</);
    expect(page).toMatch(/data-cart-shipping><span class="price">\$4\.95</);
    expect(page).toMatch(/data-cart-total><span class="price">\$33\.95</);
    await agent.post('/cart/items/p-001').set(json).send({ quantity: 4 }).expect(200);
    const free = (await agent.get('/cart').expect(200)).text;
    expect(free).toMatch(/data-cart-shipping>Free</);
    expect(free).toMatch(/data-cart-total><span class="price">\$58\.00</);
  });
});

describe('a cart line whose product has left the catalog', () => {
  /** The header badge: its number and its label. */
  const badgeOf = (html: string) => {
    const match = /class="cart-badge" aria-label="([^"]+)">[\s\S]*?data-cart-count>(\d+)</.exec(html);
    return { label: match?.[1], count: match?.[2] };
  };

  it('counts in neither the badge nor the cart page nor the JSON', async () => {
    const withdrawn = await makeShop({ products: loadProducts('data/products.json').filter((p) => p.id !== 'p-001') });
    const { agent } = await visitor(withdrawn);
    const lines = [
      { productId: 'p-001', quantity: 2 },
      { productId: 'p-002', quantity: 1 },
    ];
    await storeCart(withdrawn, agent, { lines });

    const cart = await cartOf(agent);
    expect([cart.lines.map((l: { productId: string }) => l.productId), cart.count]).toEqual([['p-002'], 1]);
    const page = (await agent.get('/cart').expect(200)).text;
    expect(page).toMatch(/<dd data-cart-count>1<\/dd>/);
    expect(badgeOf(page)).toEqual({ label: 'Cart, 1 item', count: '1' });
    expect(badgeOf((await agent.get('/').expect(200)).text)).toEqual({ label: 'Cart, 1 item', count: '1' });
  });
});
