import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { ORDERS_PER_PAGE } from '../../src/routes/orders.js';
import { productName } from '../../src/web/views/views.js';
import { cartOf, contact, decode, EMPTY_CART, json, makeShop, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeEach(async () => {
  shop = await makeShop();
});

const BEANS = 'Ethiopia Yirgacheffe Beans 250 g';
const ORDER_PATH = /^\/orders\/([\w-]+)\?placed=1$/;

async function add(agent: request.Agent, productId: string, quantity = 1) {
  await agent.post('/cart/items').set(json).send({ productId, quantity }).expect(200);
}

/** Opens the checkout as a JSON caller and returns its one-time token. */
async function tokenFor(agent: request.Agent): Promise<string> {
  const res = await agent.get('/checkout').set(json).expect(200);
  expect(res.body.checkoutToken).toEqual(expect.any(String));
  return String(res.body.checkoutToken);
}

/** The page as a person reads it: tags dropped, entities decoded, spaces collapsed. */
function textOf(html: string): string {
  return decode(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')');
}

function hiddenInput(html: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden ${name} input in the page`);
  return match[1];
}

/** Opens the checkout page as a browser: the form's hidden CSRF and checkout tokens. */
async function checkoutForm(agent: request.Agent) {
  const res = await agent.get('/checkout').expect(200);
  return { csrf: hiddenInput(res.text, '_csrf'), checkoutToken: hiddenInput(res.text, 'checkoutToken') };
}

async function guestWith(productId: string, quantity = 1) {
  const v = await visitor(shop);
  await add(v.agent, productId, quantity);
  return v;
}

async function login(agent: request.Agent, username: string, password: string) {
  await agent.post('/login').set(json).send({ username, password }).expect(200);
}

async function memberWith(productId: string, quantity = 1) {
  const { agent } = await visitor(shop);
  await login(agent, 'ravi', 'ravi-demo-pass');
  await add(agent, productId, quantity);
  return agent;
}

async function stockOf(productId: string) {
  return (await shop.services.stock.levels()).get(productId);
}

async function orderCount(): Promise<number> {
  const rows = await shop.db.selectFrom('orders').select('id').execute();
  return rows.length;
}

/** Everything the session holds, as the inspector reports it. */
async function snapshot(agent: request.Agent) {
  return (await agent.get('/session').set(json).expect(200)).body.data;
}

describe('GET /checkout', () => {
  it('answers JSON with the priced cart, shipping, total and a checkout token', async () => {
    const { agent } = await guestWith('p-001', 2);
    const res = await agent.get('/checkout').set(json).expect(200);
    expect(res.body).toEqual({
      cart: {
        lines: [
          {
            productId: 'p-001',
            slug: 'ethiopia-yirgacheffe-beans-250-g',
            name: BEANS,
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
      },
      subtotalCents: 2900,
      shippingCents: 495,
      totalCents: 3395,
      checkoutToken: expect.any(String),
    });
  });

  it('ships for free from the threshold on', async () => {
    const { agent } = await guestWith('p-003', 2);
    const res = await agent.get('/checkout').set(json).expect(200);
    expect(res.body).toMatchObject({ subtotalCents: 7980, shippingCents: 0, totalCents: 7980 });
  });

  it('keeps the same token across views until an order is placed', async () => {
    const { agent } = await guestWith('p-001');
    const first = await tokenFor(agent);
    expect(await tokenFor(agent)).toBe(first);
    expect((await checkoutForm(agent)).checkoutToken).toBe(first);
  });

  it('renders the form with the hidden checkout token, the lines and the total', async () => {
    const { agent } = await guestWith('p-001', 2);
    const res = await agent.get('/checkout').expect(200);
    const page = textOf(res.text);
    expect(page).toContain(`2 × ${BEANS} $29.00`);
    expect(page).toContain('Shipping $4.95');
    expect(page).toContain('Place order ($33.95)');
    for (const field of ['name', 'email', 'address', 'city', 'postalCode', 'country']) {
      expect(res.text).toContain(`name="${field}"`);
    }
    expect(hiddenInput(res.text, 'checkoutToken')).toBe(await tokenFor(agent));
  });

  it('sends a browser with an empty cart back to the cart with a message', async () => {
    const { agent } = await visitor(shop);
    const res = await agent.get('/checkout').expect(303);
    expect(res.headers.location).toBe('/cart');
    const cart = await agent.get('/cart').expect(200);
    expect(cart.text).toContain('Your cart is empty: add something before checking out.');
  });

  it('answers 409 to a JSON caller with an empty cart', async () => {
    const { agent } = await visitor(shop);
    const res = await agent.get('/checkout').set(json).expect(409);
    expect(res.body).toEqual({ error: 'Your cart is empty' });
  });

  it("fills a member's form from their last order", async () => {
    const agent = await memberWith('p-001');
    const first = await agent.get('/checkout').expect(200);
    expect(first.text).toContain('name="name" type="text" value="ravi"');
    await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken: await tokenFor(agent) })
      .expect(201);
    await add(agent, 'p-002');
    const again = decode((await agent.get('/checkout').expect(200)).text);
    expect(again).toContain('value="Mira Guest"');
    expect(again).toContain('value="1 Bean Street"');
  });
});

describe('POST /checkout (guest)', () => {
  it('places the order as JSON: 201, the order, an empty cart, stock decremented exactly', async () => {
    const { agent } = await guestWith('p-001', 2);
    await add(agent, 'p-004', 3);
    const res = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken: await tokenFor(agent) })
      .expect(201);
    expect(res.body.order).toEqual({
      id: expect.stringMatching(/^[\w-]+$/),
      number: `SS-${res.body.order.id}`,
      contact,
      lines: [
        { productId: 'p-001', name: BEANS, unitPriceCents: 1450, quantity: 2, lineTotalCents: 2900 },
        {
          productId: 'p-004',
          name: 'Sumatra Mandheling Dark Roast 500 g',
          unitPriceCents: 2190,
          quantity: 3,
          lineTotalCents: 6570,
        },
      ],
      subtotalCents: 9470,
      shippingCents: 0,
      totalCents: 9470,
      createdAt: expect.any(String),
    });
    expect(res.body.cart).toEqual(EMPTY_CART);
    expect(await cartOf(agent)).toEqual(EMPTY_CART);
    expect(await stockOf('p-001')).toBe(38);
    expect(await stockOf('p-004')).toBe(0);
    expect(await stockOf('p-002')).toBe(34);
    expect(await orderCount()).toBe(1);
  });

  it('places the order from the form: 303 to the order page, which thanks the shopper', async () => {
    const { agent } = await guestWith('p-001', 2);
    const form = await checkoutForm(agent);
    const res = await agent
      .post('/checkout')
      .type('form')
      .send({ ...contact, checkoutToken: form.checkoutToken, _csrf: form.csrf })
      .expect(303);
    const location = String(res.headers.location);
    const id = ORDER_PATH.exec(location)?.[1];
    expect(id).toBeDefined();
    const page = textOf((await agent.get(location).expect(200)).text);
    expect(page).toContain('Thank you! Your order is placed.');
    expect(page).toContain(`Order SS-${id}`);
    expect(page).toContain('No payment was taken');
    expect(page).toContain(`2 × ${BEANS} at $14.50 $29.00`);
    expect(page).toContain('Subtotal $29.00 Shipping $4.95 Total $33.95');
    expect(page).toMatch(/Placed [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M UTC/);
    expect(page).toContain('Deliver to Mira Guest 1 Bean Street 1100-001 Lisbon Portugal');
    expect(page).toContain('Email mira@example.com');
    expect((await cartOf(agent)).count).toBe(0);
    expect(await stockOf('p-001')).toBe(38);
  });

  it('refuses a form post without the CSRF token, ordering nothing', async () => {
    const { agent } = await guestWith('p-001');
    const { checkoutToken } = await checkoutForm(agent);
    await agent
      .post('/checkout')
      .type('form')
      .send({ ...contact, checkoutToken })
      .expect(403);
    expect(await orderCount()).toBe(0);
    expect(await stockOf('p-001')).toBe(40);
  });

  it('issues a fresh token for the next order', async () => {
    const { agent } = await guestWith('p-001');
    const first = await tokenFor(agent);
    await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken: first })
      .expect(201);
    await add(agent, 'p-002');
    const second = await tokenFor(agent);
    expect(second).not.toBe(first);
    const res = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken: second })
      .expect(201);
    expect(res.body.order.lines).toHaveLength(1);
    expect(res.body.order.lines[0].productId).toBe('p-002');
    expect(await orderCount()).toBe(2);
  });

  it('answers 409 when the cart was emptied after the checkout was opened', async () => {
    const { agent } = await guestWith('p-001');
    const checkoutToken = await tokenFor(agent);
    await agent.post('/cart/clear').set(json).send({}).expect(200);
    const res = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken })
      .expect(409);
    expect(res.body.error).toBe('Your cart is empty');
    expect(await orderCount()).toBe(0);
  });

  it('refuses a token this session never had with 409, ordering nothing', async () => {
    const { agent } = await guestWith('p-001');
    await tokenFor(agent);
    const res = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken: 'made-up-token' })
      .expect(409);
    expect(res.body.error).toContain('out of date');
    expect(await orderCount()).toBe(0);
    expect((await cartOf(agent)).count).toBe(1);
  });
});

describe('POST /checkout (member)', () => {
  it('places the order as JSON and empties the saved cart too', async () => {
    const agent = await memberWith('p-012', 2);
    const res = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken: await tokenFor(agent) })
      .expect(201);
    expect(res.body.order).toMatchObject({
      lines: [{ productId: 'p-012', quantity: 2, unitPriceCents: 2490, lineTotalCents: 4980 }],
      subtotalCents: 4980,
      shippingCents: 495,
      totalCents: 5475,
    });
    expect(res.body.order.userId).toBeUndefined();
    expect(await stockOf('p-012')).toBe(1);
    await agent.post('/logout').set(json).send({}).expect(200);
    await login(agent, 'ravi', 'ravi-demo-pass');
    expect((await cartOf(agent)).count).toBe(0);
  });

  it('places the order from the form and lists it under GET /orders', async () => {
    const agent = await memberWith('p-001', 3);
    const form = await checkoutForm(agent);
    const res = await agent
      .post('/checkout')
      .type('form')
      .send({ ...contact, checkoutToken: form.checkoutToken, _csrf: form.csrf })
      .expect(303);
    const id = ORDER_PATH.exec(String(res.headers.location))?.[1];
    expect(id).toBeDefined();
    expect(await stockOf('p-001')).toBe(37);
    const list = await agent.get('/orders').set(json).expect(200);
    expect(list.body.orders.map((o: { id: string }) => o.id)).toEqual([id]);
    const page = await agent.get('/orders').expect(200);
    expect(page.text).toContain(`href="/orders/${id}"`);
    expect(textOf(page.text)).toContain(`Order SS-${id}`);
    expect(textOf(page.text)).toContain('$48.45');
  });
});

describe('GET /orders: a long history', () => {
  it('shows it a page at a time, newest first, with links from page to page', async () => {
    const { agent } = await visitor(shop);
    await login(agent, 'ravi', 'ravi-demo-pass');
    const ravi = await shop.services.users.find('ravi');
    const ids: string[] = [];
    for (let i = 0; i < ORDERS_PER_PAGE + 5; i++) {
      const placed = await shop.services.orders.place({
        checkoutToken: `history-${i}`,
        userId: ravi?.id ?? null,
        contact,
        lines: [{ productId: 'p-002', name: 'Colombia Huila Beans 250 g', unitPriceCents: 1290, quantity: 1 }],
      });
      ids.push(placed.order.id);
    }
    const first = await agent.get('/orders').set(json).expect(200);
    expect([first.body.total, first.body.page, first.body.pageCount]).toEqual([ORDERS_PER_PAGE + 5, 1, 2]);
    expect(first.body.orders).toHaveLength(ORDERS_PER_PAGE);
    const second = await agent.get('/orders?page=2').set(json).expect(200);
    const shown = [...first.body.orders, ...second.body.orders].map((o: { id: string }) => o.id);
    expect(new Set(shown)).toEqual(new Set(ids));
    const page = decode((await agent.get('/orders').expect(200)).text);
    expect(page).toContain('href="/orders?page=2" rel="next"');
    expect(page).toContain('Page 1 of 2');
    // As in the catalog: a page below 1 or not a whole number is page 1, one past the end the last.
    for (const bad of ['0', '-1', 'abc', '1.5']) {
      expect((await agent.get(`/orders?page=${bad}`).expect(302)).headers.location, bad).toBe('/orders');
    }
    expect((await agent.get('/orders?page=99999999').set(json).expect(200)).body.page).toBe(2);
  });
});

describe('POST /checkout: stock', () => {
  it('sells exactly the stock to 20 shoppers checking out at once', async () => {
    await shop.services.stock.set('p-001', 5);
    const shoppers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const { agent } = await guestWith('p-001');
        return { agent, checkoutToken: await tokenFor(agent) };
      }),
    );
    const answers = await Promise.all(
      shoppers.map(({ agent, checkoutToken }) =>
        agent
          .post('/checkout')
          .set(json)
          .send({ ...contact, checkoutToken }),
      ),
    );
    const placed = answers.filter((r) => r.status === 201);
    const refused = answers.filter((r) => r.status === 409);
    expect(placed).toHaveLength(5);
    expect(refused).toHaveLength(15);
    expect(new Set(placed.map((r) => r.body.order.id)).size).toBe(5);
    for (const r of refused) {
      expect(r.body.error).toContain(`${BEANS} is sold out`);
      expect(r.body.error).toContain('nothing was ordered');
      expect(r.body.shortages).toEqual([{ productId: 'p-001', requested: 1, available: 0 }]);
      expect(r.body.cart).toEqual(EMPTY_CART);
      expect(r.body.order).toBeUndefined();
    }
    expect(await stockOf('p-001')).toBe(0);
    expect(await orderCount()).toBe(5);
    const carts = await Promise.all(shoppers.map(({ agent }) => cartOf(agent)));
    expect(carts.every((c) => c.count === 0)).toBe(true);
  });

  it('shrinks a line to what is left, says so and orders nothing', async () => {
    const { agent } = await guestWith('p-004', 3);
    await add(agent, 'p-001', 2);
    const checkoutToken = await tokenFor(agent);
    await shop.services.stock.set('p-004', 1);
    const res = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken })
      .expect(409);
    expect(res.body.error).toContain('Sumatra Mandheling Dark Roast 500 g: only 1 left');
    expect(res.body.error).not.toContain(BEANS);
    expect(res.body.shortages).toEqual([{ productId: 'p-004', requested: 3, available: 1 }]);
    const cart = await cartOf(agent);
    expect(cart.lines.map((l: { productId: string; quantity: number }) => [l.productId, l.quantity])).toEqual([
      ['p-004', 1],
      ['p-001', 2],
    ]);
    expect(await stockOf('p-004')).toBe(1);
    expect(await stockOf('p-001')).toBe(40);
    expect(await orderCount()).toBe(0);
    // The same token still works for the adjusted cart.
    const retry = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken })
      .expect(201);
    expect(retry.body.order.lines).toHaveLength(2);
    expect(await stockOf('p-004')).toBe(0);
  });

  it('sends a browser back to the cart with a message naming the sold-out product', async () => {
    const { agent } = await guestWith('p-012', 2);
    const form = await checkoutForm(agent);
    await shop.services.stock.set('p-012', 0);
    const res = await agent
      .post('/checkout')
      .type('form')
      .send({ ...contact, checkoutToken: form.checkoutToken, _csrf: form.csrf })
      .expect(303);
    expect(res.headers.location).toBe('/cart');
    const page = decode((await agent.get('/cart').expect(200)).text);
    expect(page).toContain('Ceremonial Matcha 30 g is sold out');
    expect(page).toContain('nothing was ordered');
    expect((await cartOf(agent)).count).toBe(0);
    expect(await orderCount()).toBe(0);
  });
});

describe('POST /cart/items: sold-out products', () => {
  it('refuses the products the catalog lists with no stock with 409', async () => {
    const { agent } = await visitor(shop);
    for (const productId of ['p-006', 'p-018']) {
      const res = await agent.post('/cart/items').set(json).send({ productId }).expect(409);
      expect(res.body.error).toContain('sold out');
    }
    expect((await cartOf(agent)).count).toBe(0);
  });

  it('refuses a product whose stock has run out since start-up with 409', async () => {
    await shop.services.stock.set('p-001', 0);
    const { agent, csrf } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(409);
    await agent.post('/cart/items').type('form').send({ productId: 'p-001', _csrf: csrf }).expect(409);
    expect((await cartOf(agent)).count).toBe(0);
  });
});

describe('POST /checkout: one order per token', () => {
  it('places one order when the same token is submitted twice at once', async () => {
    const { agent } = await guestWith('p-001', 2);
    const checkoutToken = await tokenFor(agent);
    const send = () =>
      agent
        .post('/checkout')
        .set(json)
        .send({ ...contact, checkoutToken });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.order.id).toEqual(expect.any(String));
    expect(b.body.order.id).toBe(a.body.order.id);
    expect(await stockOf('p-001')).toBe(38);
    expect(await orderCount()).toBe(1);
  });

  it('places one order when the form is double-submitted', async () => {
    const { agent } = await guestWith('p-001', 2);
    const form = await checkoutForm(agent);
    const send = () =>
      agent
        .post('/checkout')
        .type('form')
        .send({ ...contact, checkoutToken: form.checkoutToken, _csrf: form.csrf });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(String(a.headers.location)).toMatch(ORDER_PATH);
    expect(b.headers.location).toBe(a.headers.location);
    expect(await stockOf('p-001')).toBe(38);
    expect(await orderCount()).toBe(1);
  });

  it('shows the same order when the token is replayed after success', async () => {
    const { agent } = await guestWith('p-001', 2);
    const checkoutToken = await tokenFor(agent);
    const first = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken })
      .expect(201);
    await add(agent, 'p-002');
    const replay = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, name: 'Someone Else', checkoutToken })
      .expect(200);
    expect(replay.body.order).toEqual(first.body.order);
    expect((await cartOf(agent)).count).toBe(1); // the new cart is left alone
    expect(await stockOf('p-001')).toBe(38);
    expect(await stockOf('p-002')).toBe(34);
    expect(await orderCount()).toBe(1);
  });

  it('redirects a replayed form to the same order page', async () => {
    const { agent } = await guestWith('p-001');
    const form = await checkoutForm(agent);
    const body = { ...contact, checkoutToken: form.checkoutToken, _csrf: form.csrf };
    const first = await agent.post('/checkout').type('form').send(body).expect(303);
    const replay = await agent.post('/checkout').type('form').send(body).expect(303);
    expect(replay.headers.location).toBe(first.headers.location);
    expect(await orderCount()).toBe(1);
  });

  it("does not show another shopper's order to someone replaying its token", async () => {
    const { agent } = await guestWith('p-001');
    const checkoutToken = await tokenFor(agent);
    await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken })
      .expect(201);
    const thief = await guestWith('p-002');
    await tokenFor(thief.agent);
    const res = await thief.agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken })
      .expect(409);
    expect(res.body.order).toBeUndefined();
    expect(await orderCount()).toBe(1);
    expect((await cartOf(thief.agent)).count).toBe(1);
  });
});

describe('POST /checkout: prices', () => {
  it('charges the catalog price at checkout, not the price when the product was added', async () => {
    const { agent } = await guestWith('p-001', 2);
    const checkoutToken = await tokenFor(agent);
    const product = shop.catalog.findById('p-001');
    if (product) product.priceCents = 2000;
    const res = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken })
      .expect(201);
    expect(res.body.order.lines[0]).toMatchObject({ unitPriceCents: 2000, quantity: 2, lineTotalCents: 4000 });
    expect(res.body.order).toMatchObject({ subtotalCents: 4000, shippingCents: 495, totalCents: 4495 });
  });

  it('keeps the price it was placed at when the catalog changes afterwards', async () => {
    const { agent } = await guestWith('p-001');
    const placed = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken: await tokenFor(agent) })
      .expect(201);
    const product = shop.catalog.findById('p-001');
    if (product) product.priceCents = 9999;
    const res = await agent.get(`/orders/${placed.body.order.id}`).set(json).expect(200);
    expect(res.body.order.lines[0].unitPriceCents).toBe(1450);
    expect(res.body.order.totalCents).toBe(1450 + 495);
  });
});

describe('POST /checkout: malformed bodies', () => {
  const long = (n: number) => 'x'.repeat(n);
  const cases: [string, Record<string, unknown>, string][] = [
    ['a missing name', { name: undefined }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a missing email', { email: undefined }, 'email'],
    ['a blank email', { email: '' }, 'email'],
    ['an email without an @', { email: 'mira.example.com' }, 'email'],
    ['an email with spaces inside', { email: 'mira @example.com' }, 'email'],
    ['a missing address', { address: undefined }, 'address'],
    ['a missing city', { city: undefined }, 'city'],
    ['a blank postal code', { postalCode: '' }, 'postalCode'],
    ['a missing country', { country: undefined }, 'country'],
    ['a name as a number', { name: 42 }, 'name'],
    ['a city as an array', { city: ['Lisbon', 'Porto'] }, 'city'],
    ['a country as an object', { country: { $ne: null } }, 'country'],
    ['an email as null', { email: null }, 'email'],
    ['a postal code as a boolean', { postalCode: true }, 'postalCode'],
    ['a name of 101 characters', { name: long(101) }, 'name'],
    ['an address of 201 characters', { address: long(201) }, 'address'],
    ['a postal code of 21 characters', { postalCode: long(21) }, 'postalCode'],
    ['an email of over 200 characters', { email: `${long(200)}@example.com` }, 'email'],
    ['a missing checkout token', { checkoutToken: undefined }, 'checkoutToken'],
    ['a blank checkout token', { checkoutToken: '' }, 'checkoutToken'],
    ['a checkout token as a number', { checkoutToken: 12345 }, 'checkoutToken'],
  ];

  for (const [what, change, field] of cases) {
    it(`answers 422 naming ${field} for ${what}, ordering nothing and keeping the cart`, async () => {
      const { agent } = await guestWith('p-001', 2);
      const checkoutToken = await tokenFor(agent);
      const before = await snapshot(agent);
      const res = await agent
        .post('/checkout')
        .set(json)
        .send({ ...contact, checkoutToken, ...change })
        .expect(422);
      expect(res.body.error).toMatch(new RegExp(`^${field}: `));
      expect(res.body.issues).toContainEqual({ path: field, message: expect.any(String) });
      expect(await orderCount()).toBe(0);
      expect(await stockOf('p-001')).toBe(40);
      expect(await snapshot(agent)).toEqual(before);
    });
  }

  it('says what is wrong in words a shopper understands', async () => {
    const { agent } = await guestWith('p-001');
    const checkoutToken = await tokenFor(agent);
    const send = async (change: Record<string, unknown>) =>
      (
        await agent
          .post('/checkout')
          .set(json)
          .send({ ...contact, checkoutToken, ...change })
          .expect(422)
      ).body.error;
    expect(await send({ name: undefined })).toBe('name: enter your full name');
    expect(await send({ name: ' ' })).toBe('name: enter your full name');
    expect(await send({ email: 'nope' })).toBe('email: enter an address like name@example.com');
    expect(await send({ email: '' })).toBe('email: enter an address like name@example.com');
    expect(await send({ city: long(101) })).toBe('city: must be at most 100 characters');
    expect(await send({ email: `${long(200)}@example.com` })).toBe('email: must be at most 200 characters');
    expect(await send({ name: 42 })).toBe('name: must be text');
    expect(await send({ country: ['Portugal'] })).toBe('country: must be text');
    expect(await send({ checkoutToken: undefined })).toBe('checkoutToken: is missing: open the checkout page first');
    expect(await send({ checkoutToken: '' })).toBe('checkoutToken: is missing: open the checkout page first');
  });

  it('lists every failing field in the issues', async () => {
    const { agent } = await guestWith('p-001');
    const res = await agent
      .post('/checkout')
      .set(json)
      .send({ email: 'nope', checkoutToken: await tokenFor(agent) })
      .expect(422);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(
      ['address', 'city', 'country', 'email', 'name', 'postalCode'].sort(),
    );
  });

  it('does not read fields hidden under a __proto__ key, and pollutes nothing', async () => {
    const { agent } = await guestWith('p-001');
    const checkoutToken = await tokenFor(agent);
    const { name, ...rest } = contact;
    const body = JSON.stringify({ ...rest, checkoutToken }).replace(
      /^\{/,
      `{"__proto__":{"name":${JSON.stringify(name)},"polluted":true},`,
    );
    const res = await agent.post('/checkout').set(json).set('Content-Type', 'application/json').send(body).expect(422);
    expect(res.body.error).toBe('name: enter your full name');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await orderCount()).toBe(0);
    expect((await cartOf(agent)).count).toBe(1);
  });

  it('ignores an extra __proto__ key beside valid fields', async () => {
    const { agent } = await guestWith('p-001');
    const body = JSON.stringify({ ...contact, checkoutToken: await tokenFor(agent) }).replace(
      /^\{/,
      '{"__proto__":{"polluted":true},',
    );
    const res = await agent.post('/checkout').set(json).set('Content-Type', 'application/json').send(body).expect(201);
    expect(res.body.order.contact).toEqual(contact);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers broken JSON with 400, ordering nothing and keeping the cart', async () => {
    const { agent } = await guestWith('p-001');
    await tokenFor(agent);
    const before = await snapshot(agent);
    const res = await agent
      .post('/checkout')
      .set(json)
      .set('Content-Type', 'application/json')
      .send('{"name": "Mira", "email": ')
      .expect(400);
    expect(res.body.error).toBe('The request body is not valid JSON');
    expect(await orderCount()).toBe(0);
    expect(await snapshot(agent)).toEqual(before);
  });

  it('answers a JSON array or scalar with 400', async () => {
    const { agent } = await guestWith('p-001');
    const checkoutToken = await tokenFor(agent);
    await agent
      .post('/checkout')
      .set(json)
      .send([{ ...contact, checkoutToken }])
      .expect(400);
    await agent.post('/checkout').set(json).set('Content-Type', 'application/json').send('"hello"').expect(400);
    expect(await orderCount()).toBe(0);
  });

  it('answers an oversized body with 413, ordering nothing', async () => {
    const { agent } = await guestWith('p-001');
    const checkoutToken = await tokenFor(agent);
    const res = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken, address: long(20_000) })
      .expect(413);
    expect(res.body.error).toBe('The request body is too large');
    expect(await orderCount()).toBe(0);
    expect((await cartOf(agent)).count).toBe(1);
  });

  it('accepts the same token once the body is corrected', async () => {
    const { agent } = await guestWith('p-001');
    const checkoutToken = await tokenFor(agent);
    await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, email: 'nope', checkoutToken })
      .expect(422);
    await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken })
      .expect(201);
    expect(await stockOf('p-001')).toBe(39);
  });
});

describe('POST /checkout: form errors', () => {
  it("sends the form back (303, then GET) with the shopper's values and the message", async () => {
    const { agent } = await guestWith('p-001', 2);
    const form = await checkoutForm(agent);
    const res = await refused(
      agent
        .post('/checkout')
        .type('form')
        .send({ ...contact, email: 'mira-at-example', ...tokens(form) }),
      agent,
    );
    const page = decode(res.text);
    expect(page).toContain('<a href="#field-email">Email: enter an address like name@example.com</a>');
    expect(page).toContain('Error:</span> enter an address like name@example.com');
    expect(page).toContain('value="mira-at-example"');
    expect(page).toContain('value="Mira Guest"');
    expect(page).toContain('value="1 Bean Street"');
    expect(page).toContain('aria-invalid="true" aria-describedby="error-email"');
    expect(hiddenInput(res.text, 'checkoutToken')).toBe(form.checkoutToken);
    expect(page).toContain(`2 × ${productName(BEANS)}`);
    expect(await orderCount()).toBe(0);
    expect((await cartOf(agent)).count).toBe(2);
  });

  it('marks every missing field', async () => {
    const { agent } = await guestWith('p-001');
    const form = await checkoutForm(agent);
    const res = await refused(
      agent
        .post('/checkout')
        .type('form')
        .send({ name: 'Mira Guest', ...tokens(form) }),
      agent,
    );
    for (const field of ['email', 'address', 'city', 'postalCode', 'country']) {
      expect(res.text).toContain(`id="error-${field}"`);
    }
    expect(res.text).not.toContain('id="error-name"');
  });

  it('refuses a field sent twice, naming it', async () => {
    const { agent } = await guestWith('p-001');
    const form = await checkoutForm(agent);
    const body = new URLSearchParams({ ...contact, checkoutToken: form.checkoutToken, _csrf: form.csrf });
    body.append('city', 'Porto');
    const res = await refused(agent.post('/checkout').type('form').send(body.toString()), agent);
    expect(decode(res.text)).toContain('<a href="#field-city">City: must be text</a>');
    expect(res.text).toContain('name="city" type="text" value=""');
    expect(res.text).toContain('name="name" type="text" value="Mira Guest"');
    expect(await orderCount()).toBe(0);
  });

  it('gives a form posted without a checkout token one to come back with', async () => {
    const { agent, csrf } = await guestWith('p-001');
    const res = await refused(
      agent
        .post('/checkout')
        .type('form')
        .send({ ...contact, _csrf: csrf }),
      agent,
    );
    expect(decode(res.text)).toContain('<li>Checkout form: is missing: open the checkout page first</li>');
    const checkoutToken = hiddenInput(res.text, 'checkoutToken');
    const placed = await agent
      .post('/checkout')
      .type('form')
      .send({ ...contact, checkoutToken, _csrf: csrf })
      .expect(303);
    expect(String(placed.headers.location)).toMatch(ORDER_PATH);
  });

  it('places the order once the form is corrected', async () => {
    const { agent } = await guestWith('p-001');
    const form = await checkoutForm(agent);
    const body = { ...contact, checkoutToken: form.checkoutToken, _csrf: form.csrf };
    await agent
      .post('/checkout')
      .type('form')
      .send({ ...body, city: ' ' })
      .expect(303)
      .expect('Location', '/checkout');
    const res = await agent.post('/checkout').type('form').send(body).expect(303);
    expect(String(res.headers.location)).toMatch(ORDER_PATH);
  });
});

/** A refused checkout form: 303 back to the form (post/redirect/get), then the form as GET shows it. */
async function refused(post: request.Test, agent: request.Agent) {
  await post.expect(303).expect('Location', '/checkout');
  return agent.get('/checkout').expect(200);
}

const tokens = (form: { csrf: string; checkoutToken: string }) => ({
  checkoutToken: form.checkoutToken,
  _csrf: form.csrf,
});

describe('GET /orders/:id', () => {
  async function guestOrder() {
    const { agent } = await guestWith('p-001');
    const res = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken: await tokenFor(agent) })
      .expect(201);
    return { agent, id: String(res.body.order.id) };
  }

  it('shows a guest their own order', async () => {
    const { agent, id } = await guestOrder();
    const res = await agent.get(`/orders/${id}`).set(json).expect(200);
    expect(res.body.order).toMatchObject({ id, contact, totalCents: 1945 });
    const page = decode((await agent.get(`/orders/${id}`).expect(200)).text);
    expect(page).toContain(`Order <span class="order-number">SS-${id}</span>`);
    expect(page).not.toContain('Thank you!');
  });

  it('answers 404 to another visitor, in JSON and HTML, without revealing the order', async () => {
    const { id } = await guestOrder();
    const { agent } = await visitor(shop);
    const res = await agent.get(`/orders/${id}`).set(json).expect(404);
    expect(res.body).toEqual({ error: 'We could not find that order.' });
    const page = await agent.get(`/orders/${id}`).expect(404);
    expect(page.text).not.toContain(contact.name);
  });

  it('answers 404 to a request without a session', async () => {
    const { id } = await guestOrder();
    await request(shop.app).get(`/orders/${id}`).set(json).expect(404);
  });

  it('answers 404 for an order that does not exist', async () => {
    const { agent } = await visitor(shop);
    await agent.get('/orders/no-such-order').set(json).expect(404);
  });

  it("shows a member's order after logging out and in again, but not to another member", async () => {
    const agent = await memberWith('p-001', 2);
    const placed = await agent
      .post('/checkout')
      .set(json)
      .send({ ...contact, checkoutToken: await tokenFor(agent) })
      .expect(201);
    const id = String(placed.body.order.id);
    await agent.post('/logout').set(json).send({}).expect(200);
    await agent.get(`/orders/${id}`).set(json).expect(404);
    await agent.get('/orders').set(json).expect(401);

    await login(agent, 'ravi', 'ravi-demo-pass');
    const list = await agent.get('/orders').set(json).expect(200);
    expect(list.body.orders).toEqual([placed.body.order]);
    const one = await agent.get(`/orders/${id}`).set(json).expect(200);
    expect(one.body.order).toEqual(placed.body.order);
    expect(decode((await agent.get(`/orders/${id}`).expect(200)).text)).toContain(`SS-${id}`);

    const alice = await visitor(shop);
    await login(alice.agent, 'alice', 'alice-demo-pass');
    await alice.agent.get(`/orders/${id}`).set(json).expect(404);
    await alice.agent.get(`/orders/${id}`).expect(404);
    expect((await alice.agent.get('/orders').set(json).expect(200)).body.orders).toEqual([]);
    expect((await alice.agent.get('/orders').expect(200)).text).toContain('No orders yet.');
  });
});

describe('GET /orders', () => {
  it('sends a guest to the login page, and a JSON caller gets 401', async () => {
    const { agent } = await visitor(shop);
    const res = await agent.get('/orders').expect(302);
    expect(res.headers.location).toBe('/login?returnTo=%2Forders');
    const api = await agent.get('/orders').set(json).expect(401);
    expect(api.body).toEqual({ error: 'Please login first' });
  });

  it('lists the newest order first', async () => {
    const agent = await memberWith('p-001');
    const ids: string[] = [];
    for (const productId of ['p-002', 'p-003']) {
      const res = await agent
        .post('/checkout')
        .set(json)
        .send({ ...contact, checkoutToken: await tokenFor(agent) })
        .expect(201);
      ids.push(String(res.body.order.id));
      await add(agent, productId);
    }
    const list = await agent.get('/orders').set(json).expect(200);
    expect(list.body.orders.map((o: { id: string }) => o.id)).toEqual([...ids].reverse());
  });
});
