// The catalog page is rendered once per (URL, preferences, stock) and filled in per
// shopper: each must still see exactly their own page, and a stock change at once.
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { productName } from '../../src/web/views/views.js';
import { csrfFrom, decode, json, makeShop, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeEach(async () => {
  shop = await makeShop();
});

const formTokens = (html: string) => [...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]);
const badge = (html: string) => /data-cart-count>(\d+)</.exec(html)?.[1];
/** The page without its flash messages, and with its CSRF token's mask (new on every answer) left out. */
const withoutFlash = (html: string) =>
  html.replace(/<div class="flash-area"[\s\S]*?<\/div>/, '').replace(new RegExp(csrfFrom(html), 'g'), 'TOKEN');
const cardOf = (html: string, slug: string) =>
  decode(html)
    .split('<article')
    .find((card) => card.includes(`/products/${slug}"`)) ?? '';

describe('GET / through the page cache', () => {
  it('gives every shopper their own token, badge and name on the same cached page', async () => {
    const guest = await visitor(shop);
    await guest.agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
    const member = request.agent(shop.app);
    await member.get('/').expect(200);
    await member.post('/login').set(json).send({ username: 'ravi', password: 'ravi-demo-pass' }).expect(200);
    await member.post('/cart/items').set(json).send({ productId: 'p-002' }).expect(200);

    for (let round = 0; round < 2; round++) {
      const guestPage = (await guest.agent.get('/').expect(200)).text;
      const memberPage = (await member.get('/').expect(200)).text;
      for (const [page, count, label] of [
        [guestPage, '2', 'Cart, 2 items'],
        [memberPage, '1', 'Cart, 1 item'],
      ] as const) {
        expect(badge(page)).toBe(count);
        expect(page).toContain(`aria-label="${label}"`);
        const token = csrfFrom(page);
        expect(new Set(formTokens(page))).toEqual(new Set([token]));
        expect(page).not.toContain('\u0000');
      }
      expect(csrfFrom(guestPage)).not.toBe(csrfFrom(memberPage));
      expect(memberPage).toContain('href="/account" class="site-nav__link">ravi<');
      expect(guestPage).not.toContain('ravi');
    }
  });

  it('serves the cached page exactly as the uncached one, flash messages aside', async () => {
    const { agent, csrf } = await visitor(shop);
    // A form post leaves a flash message: the next page is rendered without the cache.
    await agent.post('/cart/items').type('form').send({ productId: 'p-001', _csrf: csrf, returnTo: '/' }).expect(303);
    const rendered = (await agent.get('/').expect(200)).text;
    expect(rendered).toContain('flash--success');
    const cached = (await agent.get('/').expect(200)).text;
    expect(withoutFlash(cached)).toBe(withoutFlash(rendered));
  });

  it('shows a stock change made here at once', async () => {
    const { agent } = await visitor(shop);
    const slug = 'sumatra-mandheling-dark-roast-500-g'; // p-004, 3 in stock
    expect(cardOf((await agent.get('/?q=sumatra').expect(200)).text, slug)).toContain('Only 3 left');
    await shop.services.stock.set('p-004', 0);
    const after = cardOf((await agent.get('/?q=sumatra').expect(200)).text, slug);
    expect(after).toContain('Sold out');
    expect(after).not.toContain('Add to cart');
  });

  it('shows a sale at once after a checkout here', async () => {
    const { agent } = await visitor(shop);
    const slug = 'sumatra-mandheling-dark-roast-500-g';
    expect(cardOf((await agent.get('/?q=sumatra').expect(200)).text, slug)).toContain('Only 3 left');
    await agent.post('/cart/items').set(json).send({ productId: 'p-004' }).expect(200);
    const { checkoutToken } = (await agent.get('/checkout').set(json).expect(200)).body;
    await agent
      .post('/checkout')
      .set(json)
      .send({
        name: 'Ada',
        email: 'ada@example.com',
        address: '1 Main St',
        city: 'Lisbon',
        postalCode: '1100',
        country: 'PT',
        checkoutToken,
      })
      .expect(201);
    expect(cardOf((await agent.get('/?q=sumatra').expect(200)).text, slug)).toContain('Only 2 left');
  });
});

describe('GET /products/:slug through the page cache', () => {
  it('shows each shopper their own recently viewed list, token and badge', async () => {
    const [first, second] = shop.catalog.products;
    if (!first || !second) throw new Error('the catalog needs two products');
    const browsing = await visitor(shop);
    await browsing.agent.get(`/products/${first.slug}`).expect(200);
    const direct = await visitor(shop);
    await direct.agent.post('/cart/items').set(json).send({ productId: first.id }).expect(200);
    for (let round = 0; round < 2; round++) {
      const seenBefore = (await browsing.agent.get(`/products/${second.slug}`).expect(200)).text;
      const firstVisit = (await direct.agent.get(`/products/${second.slug}`).expect(200)).text;
      expect(seenBefore).toContain('Recently viewed');
      expect(cardOf(seenBefore, first.slug)).toContain(productName(decode(first.name)));
      expect(firstVisit).not.toContain('Recently viewed');
      expect(badge(seenBefore)).toBe('0');
      expect(badge(firstVisit)).toBe('1');
      for (const page of [seenBefore, firstVisit]) expect(new Set(formTokens(page))).toEqual(new Set([csrfFrom(page)]));
      expect(csrfFrom(seenBefore)).not.toBe(csrfFrom(firstVisit));
    }
  });
});
