import { beforeAll, describe, expect, it } from 'vitest';
import { decode, json, makeShop, postForm, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeAll(async () => {
  shop = await makeShop();
});

const PRODUCT = 'ethiopia-yirgacheffe-beans-250-g';

/** Every <meta name="description"> of a page, its content decoded. */
function descriptions(html: string): string[] {
  return [...decode(html).matchAll(/<meta name="description" content="([^"]*)">/g)].map((m) => m[1] ?? '');
}

describe('every page', () => {
  it('has one meta description, written for that page', async () => {
    const { agent, csrf } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 1 }).expect(200);
    const guestPages = ['/', '/?category=tea', `/products/${PRODUCT}`, '/cart', '/checkout', '/login', '/register'];
    const otherPages = ['/session', '/lab', '/?category=cars', '/no-such-page'];
    const seen = new Map<string, string>();
    for (const path of [...guestPages, ...otherPages]) {
      const found = descriptions((await agent.get(path)).text);
      expect(found, path).toHaveLength(1);
      expect(found[0]?.length, path).toBeGreaterThan(30);
      seen.set(path, found[0] ?? '');
    }
    await postForm({ agent, csrf }, '/login', { username: 'ravi', password: 'ravi-demo-pass' }).expect(303);
    for (const path of ['/account', '/orders', '/logout']) {
      const found = descriptions((await agent.get(path).expect(200)).text);
      expect(found, path).toHaveLength(1);
      seen.set(path, found[0] ?? '');
    }
    const product = shop.catalog.findBySlug(PRODUCT);
    expect(seen.get(`/products/${PRODUCT}`)).toBe(product?.description);
    expect(seen.get('/?category=tea')).toMatch(/\btea\b/i);
    // The pages a shopper might find from a search engine say what they are, not all the same thing.
    const shopperPages = ['/', '/?category=tea', `/products/${PRODUCT}`, '/cart', '/login'];
    expect(new Set(shopperPages.map((p) => seen.get(p))).size).toBe(shopperPages.length);
  });
});
