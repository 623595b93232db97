// Limits as the shopper meets them: a refusal says what the cart holds and what
// still fits, the product page offers only quantities that fit, adding and setting
// agree, and the cart page warns about lines the stock no longer covers.
import type request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { decode, json, makeShop, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeEach(async () => {
  shop = await makeShop();
});

const BEANS = { id: 'p-001', slug: 'ethiopia-yirgacheffe-beans-250-g', name: 'Ethiopia Yirgacheffe Beans 250 g' };
const SUMATRA = { id: 'p-004', slug: 'sumatra-mandheling-dark-roast-500-g' }; // 3 in stock

async function add(agent: request.Agent, productId: string, quantity = 1, status = 200) {
  return agent.post('/cart/items').set(json).send({ productId, quantity }).expect(status);
}

/** The product page's add-form picker: its options, whether it is disabled, and its note. */
async function picker(agent: request.Agent, slug: string) {
  const html = decode((await agent.get(`/products/${slug}`).expect(200)).text);
  const select = /<select id="quantity" name="quantity"([^>]*)>([\s\S]*?)<\/select>/.exec(html);
  const options = [...(select?.[2] ?? '').matchAll(/<option value="(\d+)">/g)].map((m) => Number(m[1]));
  const note = /<p class="add-form__note" id="quantity-note">([^<]*)<\/p>/.exec(html)?.[1];
  return { options, disabled: (select?.[1] ?? '').includes('disabled'), note };
}

describe('POST /cart/items: a refused quantity', () => {
  it('says how many are in the cart and how many more fit, on the product page', async () => {
    const { agent, csrf } = await visitor(shop);
    await add(agent, BEANS.id, 8);
    const res = await agent
      .post('/cart/items')
      .type('form')
      .send({ productId: BEANS.id, quantity: '3', _csrf: csrf })
      .expect(422);
    expect(decode(res.text)).toContain(
      `At most 10 of one product per order. You have 8 of ${BEANS.name} in your cart; you can add 2 more.`,
    );
  });

  it('says when nothing more fits', async () => {
    const { agent } = await visitor(shop);
    await add(agent, BEANS.id, 10);
    const res = await add(agent, BEANS.id, 1, 422);
    expect(res.body.error).toBe(
      `At most 10 of one product per order. You have 10 of ${BEANS.name} in your cart; you cannot add more.`,
    );
  });
});

describe('GET /products/:slug: the quantity picker', () => {
  it('offers up to the per-product cap for an empty cart, with no note', async () => {
    const { agent } = await visitor(shop);
    expect(await picker(agent, BEANS.slug)).toEqual({
      options: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      disabled: false,
      note: undefined,
    });
  });

  it('offers only what still fits beside the cart, and says so', async () => {
    const { agent } = await visitor(shop);
    await add(agent, BEANS.id, 8);
    expect(await picker(agent, BEANS.slug)).toEqual({
      options: [1, 2],
      disabled: false,
      note: 'You have 8 in your cart; you can add 2 more.',
    });
    await add(agent, SUMATRA.id, 2);
    expect((await picker(agent, SUMATRA.slug)).options).toEqual([1]);
    await add(agent, SUMATRA.id, 1);
    expect(await picker(agent, SUMATRA.slug)).toEqual({
      options: [],
      disabled: true,
      note: 'You have 3 in your cart, the most you can order.',
    });
  });

  it('offers nothing for a new product when the cart holds the most products it can', async () => {
    const small = await makeShop({ env: { CART_MAX_LINES: '2' } });
    const { agent } = await visitor(small);
    await add(agent, 'p-002');
    await add(agent, 'p-003');
    expect(await picker(agent, BEANS.slug)).toEqual({
      options: [],
      disabled: true,
      note: 'Your cart holds 2 different products, the most it can: remove one to add this.',
    });
  });
});

describe('a sold-out product on a full cart', () => {
  it('is refused with 409: adding says it is sold out, setting says it is not in the cart', async () => {
    const small = await makeShop({ env: { CART_MAX_LINES: '2' } });
    const { agent } = await visitor(small);
    await add(agent, 'p-002');
    await add(agent, 'p-003');
    const added = await add(agent, 'p-006', 1, 409);
    const set = await agent.post('/cart/items/p-006').set(json).send({ quantity: 1 }).expect(409);
    expect(added.body.error).toBe('Sorry, this product is sold out');
    expect(set.body.error).toBe('That item is no longer in your cart.');
  });
});

describe('GET /cart: quantity menus', () => {
  it('offer each line every quantity it may be set to, in a cart holding as many lines as it may', async () => {
    const small = await makeShop({ env: { CART_MAX_LINES: '2' } });
    const { agent } = await visitor(small);
    await add(agent, BEANS.id, 4);
    await add(agent, SUMATRA.id, 2);
    const html = (await agent.get('/cart').expect(200)).text;
    const menu = (id: string) =>
      [
        ...(new RegExp(`<select id="qty-${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '').matchAll(
          /<option value="(\d+)"/g,
        ),
      ].map((m) => Number(m[1]));
    // The per-line cap, not the cap less what the line holds; the stock where it is lower.
    expect(menu(BEANS.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(menu(SUMATRA.id)).toEqual([1, 2, 3]);
  });
});

describe('GET /cart: stock warnings', () => {
  it('warns "Only N left" and "Sold out" on lines the stock no longer covers, and not otherwise', async () => {
    const { agent } = await visitor(shop);
    await add(agent, SUMATRA.id, 3);
    await add(agent, BEANS.id, 2);
    const warnings = async () => {
      const html = decode((await agent.get('/cart').expect(200)).text);
      return [
        ...html.matchAll(/data-cart-line="([^"]+)"[\s\S]*?(?:<span class="stock stock--low">([^<]+)<\/span>|<\/li>)/g),
      ]
        .filter((m) => m[2] !== undefined)
        .map((m) => [m[1], m[2]]);
    };
    expect(await warnings()).toEqual([]);
    await shop.services.stock.set(SUMATRA.id, 1);
    expect(await warnings()).toEqual([[SUMATRA.id, 'Only 1 left']]);
    // The line's picker offers what may be bought now, and shows what the line holds.
    const html = (await agent.get('/cart').expect(200)).text;
    const select = new RegExp(`<select id="qty-${SUMATRA.id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
    expect([...select.matchAll(/<option value="(\d+)"( selected)?>/g)].map((m) => `${m[1]}${m[2] ?? ''}`)).toEqual([
      '1',
      '3 selected',
    ]);
    await shop.services.stock.set(SUMATRA.id, 0);
    expect(await warnings()).toEqual([[SUMATRA.id, 'Sold out']]);
  });
});
