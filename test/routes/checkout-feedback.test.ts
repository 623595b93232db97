// What a shopper sees when checkout does not simply succeed: every form error in a
// summary at the top, a cart whose products left the catalog, another session
// holding the same form, and a guest order found again after logging in.
import type request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadProducts } from '../../src/catalog/products.js';
import { contact, decode, json, makeShop, postForm, type Shop, visitor } from '../helpers/shop.js';
import { storeCart } from './stored-session.js';

let shop: Shop;
beforeEach(async () => {
  shop = await makeShop();
});

async function guestWith(s: Shop, productId: string, quantity = 1) {
  const v = await visitor(s);
  await v.agent.post('/cart/items').set(json).send({ productId, quantity }).expect(200);
  return v;
}

function hiddenInput(html: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden ${name} input in the page`);
  return match[1];
}

/** Opens the checkout as a JSON caller and returns its one-time token. */
async function tokenFor(agent: request.Agent): Promise<string> {
  return String((await agent.get('/checkout').set(json).expect(200)).body.checkoutToken);
}

/** Posts valid details with `checkoutToken` as a JSON caller. */
function sendOrder(agent: request.Agent, checkoutToken: string) {
  return agent
    .post('/checkout')
    .set(json)
    .send({ ...contact, checkoutToken });
}

/** Opens the checkout as a JSON caller and posts valid details with its token. */
async function placeOrder(agent: request.Agent, status = 201) {
  return sendOrder(agent, await tokenFor(agent)).expect(status);
}

const orderCount = async (s: Shop) => (await s.db.selectFrom('orders').select('id').execute()).length;

describe('POST /checkout: the error summary', () => {
  it('lists every error with its label, each linking to its field, and takes the focus', async () => {
    const { agent } = await guestWith(shop, 'p-001');
    const page = await agent.get('/checkout').expect(200);
    const checkoutToken = hiddenInput(page.text, 'checkoutToken');
    await agent
      .post('/checkout')
      .type('form')
      .send({ name: 'Mira', email: 'nope', city: ' ', checkoutToken, _csrf: hiddenInput(page.text, '_csrf') })
      .expect(303)
      .expect('Location', '/checkout');
    const html = decode((await agent.get('/checkout').expect(200)).text);
    const summary = /<div class="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(html);
    expect(summary?.[0]).toContain('tabindex="-1" autofocus');
    const items = [...(summary?.[1] ?? '').matchAll(/<li><a href="([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(items).toEqual([
      ['#field-email', 'Email: enter an address like name@example.com'],
      ['#field-address', 'Address: enter the street and house number'],
      ['#field-city', 'City: enter your town or city'],
      ['#field-postalCode', 'Postal code: enter your postal code'],
      ['#field-country', 'Country: enter your country'],
    ]);
    expect(summary?.[1]).toContain('Please correct these 5 things to place your order');
    expect(html).toContain('<title>Error: Checkout — Session Shop</title>');
    // Each linked field exists, says it is invalid and points to its own message.
    for (const [href] of items) {
      const name = String(href).slice('#field-'.length);
      expect(html).toMatch(new RegExp(`id="field-${name}"[^>]*aria-invalid="true" aria-describedby="error-${name}"`));
      expect(html).toContain(`id="error-${name}"`);
    }
    expect(html).not.toContain('aria-describedby="error-name"');
    expect(await orderCount(shop)).toBe(0);
  });

  it('keeps the errors and the values for one view only: a reload or Back shows a clean form', async () => {
    const { agent } = await guestWith(shop, 'p-001');
    const page = await agent.get('/checkout').expect(200);
    const form = { checkoutToken: hiddenInput(page.text, 'checkoutToken'), _csrf: hiddenInput(page.text, '_csrf') };
    await agent
      .post('/checkout')
      .type('form')
      .send({ ...contact, email: 'mira-at-example', ...form })
      .expect(303)
      .expect('Location', '/checkout');
    const shown = decode((await agent.get('/checkout').expect(200)).text);
    expect(shown).toContain('value="mira-at-example"');
    expect(shown).toContain('value="1 Bean Street"');
    expect(shown).toContain('<a href="#field-email">Email: enter an address like name@example.com</a>');
    expect(hiddenInput(shown, 'checkoutToken')).toBe(form.checkoutToken);
    const again = decode((await agent.get('/checkout').expect(200)).text);
    expect(again).not.toContain('error-summary');
    expect(again).not.toContain('mira-at-example');
    // The corrected form still places the order with the same token.
    await agent
      .post('/checkout')
      .type('form')
      .send({ ...contact, ...form })
      .expect(303)
      .expect('Location', /^\/orders\//);
  });

  it('keeps JSON callers’ answer: 422 naming the field, no redirect', async () => {
    const { agent } = await guestWith(shop, 'p-001');
    const checkoutToken = await tokenFor(agent);
    const res = await sendOrder(agent, checkoutToken).send({ email: 'nope' }).expect(422);
    expect(res.body.error).toBe('email: enter an address like name@example.com');
  });

  it('shows no summary on a clean form', async () => {
    const { agent } = await guestWith(shop, 'p-001');
    const html = (await agent.get('/checkout').expect(200)).text;
    expect(html).not.toContain('error-summary');
    expect(html).not.toContain('aria-invalid');
  });

  it('puts the total and a link to the order summary above the form', async () => {
    const { agent } = await guestWith(shop, 'p-001', 2);
    const html = decode((await agent.get('/checkout').expect(200)).text);
    const glance = html.indexOf('class="checkout__glance"');
    expect(glance).toBeGreaterThan(-1);
    expect(glance).toBeLessThan(html.indexOf('<form class="stack" action="/checkout"'));
    expect(html.slice(glance)).toMatch(/2 items, total <span class="price">\$33\.95<\/span>/);
    expect(html).toContain('<a href="#order-summary">');
    expect(html).toContain('id="order-summary"');
  });
});

describe('GET /checkout right after an order (Back from the confirmation)', () => {
  it('says the order was placed, with its number and a link to it', async () => {
    const { agent, csrf } = await guestWith(shop, 'p-001');
    const page = await agent.get('/checkout').expect(200);
    const placed = await postForm({ agent, csrf }, '/checkout', {
      ...contact,
      checkoutToken: hiddenInput(page.text, 'checkoutToken'),
    }).expect(303);
    const id = /^\/orders\/([\w-]+)\?placed=1$/.exec(String(placed.headers.location))?.[1];
    const back = decode((await agent.get('/checkout').expect(200)).text);
    expect(back).toContain(`Your order SS-${id} was placed`);
    expect(back).toContain(`href="/orders/${id}"`);
    expect(back).not.toContain('Your cart is empty: add something before checking out.');
    expect(back).not.toContain('<form class="stack" action="/checkout"');
    // JSON callers keep today's answer.
    expect((await agent.get('/checkout').set(json).expect(409)).body.error).toBe('Your cart is empty');
  });

  it('forgets the order once the cart fills again', async () => {
    const { agent } = await guestWith(shop, 'p-001');
    await placeOrder(agent);
    await agent.post('/cart/items').set(json).send({ productId: 'p-002', quantity: 1 }).expect(200);
    await agent.post('/cart/items/p-002/remove').set(json).send({}).expect(200);
    await agent.get('/checkout').expect(303).expect('Location', '/cart');
    expect(decode((await agent.get('/cart').expect(200)).text)).toContain(
      'Your cart is empty: add something before checking out.',
    );
  });
});

describe('POST /checkout: one token, two sessions', () => {
  // The token lives in one session, and that session's requests are serialized by
  // its lock; a second session posting the same token at the same moment is the
  // closest race two shoppers can run. One order, and a clear 409 for the other.
  it('places one order and refuses the other session with 409, never a 500', async () => {
    const owner = await guestWith(shop, 'p-001', 2);
    const other = await guestWith(shop, 'p-001', 1);
    const checkoutToken = await tokenFor(owner.agent);
    const [mine, theirs] = await Promise.all([
      sendOrder(owner.agent, checkoutToken),
      sendOrder(other.agent, checkoutToken),
    ]);
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(409);
    expect(theirs.body.error).toBe('This checkout form is out of date. Please review your cart and try again.');
    expect(await orderCount(shop)).toBe(1);
    expect((await other.agent.get('/cart').set(json).expect(200)).body.cart.count).toBe(1);
  });
});

describe('POST /checkout: a product withdrawn from the catalog', () => {
  async function withdrawnShop() {
    return makeShop({ products: loadProducts('data/products.json').filter((p) => p.id !== 'p-001') });
  }

  it('sends a cart of only withdrawn products back to the cart with a message, ordering nothing', async () => {
    const s = await withdrawnShop();
    const { agent, csrf } = await visitor(s);
    await storeCart(s, agent, { lines: [{ productId: 'p-001', quantity: 2 }] });
    const open = await agent.get('/checkout').expect(303);
    expect(open.headers.location).toBe('/cart');
    const message = 'The products in your cart are no longer sold, so there is nothing to order.';
    expect(decode((await agent.get('/cart').expect(200)).text)).toContain(message);
    const api = await agent.get('/checkout').set(json).expect(409);
    expect(api.body.error).toBe(message);
    const post = await postForm({ agent, csrf }, '/checkout', { ...contact, checkoutToken: 'any' }).expect(409);
    expect(decode(post.text)).toContain('This checkout form is out of date');
    expect(await orderCount(s)).toBe(0);
  });

  it('says a withdrawn line is left out and orders the rest', async () => {
    const s = await withdrawnShop();
    const { agent } = await visitor(s);
    const lines = [
      { productId: 'p-001', quantity: 2 },
      { productId: 'p-002', quantity: 1 },
    ];
    await storeCart(s, agent, { lines });
    const page = decode((await agent.get('/checkout').expect(200)).text);
    expect(page).toContain('One product in your cart is no longer sold and not part of this order.');
    const placed = await placeOrder(agent);
    expect(placed.body.order.lines.map((l: { productId: string }) => l.productId)).toEqual(['p-002']);
  });

  it('answers 409 with the message when the last product is withdrawn after the form was opened', async () => {
    const s = await withdrawnShop();
    const { agent } = await visitor(s);
    await storeCart(s, agent, { lines: [{ productId: 'p-002', quantity: 1 }] });
    const checkoutToken = await tokenFor(agent);
    await storeCart(s, agent, { lines: [{ productId: 'p-001', quantity: 1 }] });
    const res = await sendOrder(agent, checkoutToken).expect(409);
    expect(res.body.error).toBe('The products in your cart are no longer sold, so there is nothing to order.');
    expect(await orderCount(s)).toBe(0);
  });
});

describe("GET /orders/:id: a guest's order after logging in", () => {
  it('still shows the order the guest placed, and finds it by its number too', async () => {
    const { agent } = await guestWith(shop, 'p-001');
    const placed = await placeOrder(agent);
    const { id, number } = placed.body.order as { id: string; number: string };
    await agent.post('/login').set(json).send({ username: 'ravi', password: 'ravi-demo-pass' }).expect(200);
    const seen = await agent.get(`/orders/${id}`).set(json).expect(200);
    expect(seen.body.order).toEqual(placed.body.order);
    expect(decode((await agent.get(`/orders/${id}`).expect(200)).text)).toContain(number);
    await agent.get(`/orders/${number.toLowerCase()}`).set(json).expect(200);
  });
});
