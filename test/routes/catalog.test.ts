import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { productName } from '../../src/web/views/views.js';
import { ENGINES, type OpenedDb } from '../catalog/engines.js';
import { decode, json, makeShop, type Shop, visitor } from '../helpers/shop.js';

type Listed = { id: string; name: string; priceCents: number; category: string };
type Facet = { name: string; count: number };

for (const engine of ENGINES)
  describe.skipIf(!engine.available)(`the catalog on ${engine.name}`, () => {
    let opened: OpenedDb;
    let shop: Shop;
    beforeAll(async () => {
      opened = await engine.open();
      shop = await makeShop({ db: opened.db });
    });
    afterAll(async () => opened?.close());

    describe('GET / with facets, a price range and forgiving search', () => {
      it('counts each category for the query, adding up to the total', async () => {
        for (const q of ['', 'tea', 'cup']) {
          const res = await request(shop.app).get(`/?q=${q}`).set(json).expect(200);
          const categories: Facet[] = res.body.facets.categories;
          expect(categories.length, q).toBeGreaterThan(0);
          expect(
            categories.reduce((sum, c) => sum + c.count, 0),
            q,
          ).toBe(res.body.total);
        }
        const page = decode((await request(shop.app).get('/?q=tea').expect(200)).text);
        expect(page).toMatch(/href="\/\?q=tea&category=tea" class="chip">Tea <span class="chip__count">\d+<\/span>/);
      });

      it('keeps only prices inside the range, and keeps the range in its links', async () => {
        const res = await request(shop.app).get('/?minPriceCents=1000&maxPriceCents=2000&sort=price-desc').set(json);
        expect(res.status).toBe(200);
        const prices: number[] = res.body.products.map((p: Listed) => p.priceCents);
        expect(prices.length).toBeGreaterThan(0);
        expect(prices.every((c) => c >= 1000 && c <= 2000)).toBe(true);
        expect([res.body.minPriceCents, res.body.maxPriceCents]).toEqual([1000, 2000]);
        const page = decode((await request(shop.app).get('/?q=tea&minPriceCents=1000').expect(200)).text);
        expect(page).toContain('href="/?q=tea&category=coffee&minPriceCents=1000"');
        expect(page).toContain('name="minPrice" value="10"'); // the form speaks dollars
        // An empty box of the price form is no bound at all.
        await request(shop.app).get('/?minPriceCents=&maxPriceCents=').expect(200);
      });

      it('takes the price form in dollars and answers with the catalog’s own URL in cents', async () => {
        const res = await request(shop.app).get('/?q=tea&minPrice=10&maxPrice=20.5&sort=price-desc').expect(303);
        expect(res.headers.location).toBe('/?q=tea&sort=price-desc&minPriceCents=1000&maxPriceCents=2050');
        const unbounded = await request(shop.app).get('/?category=tea&minPrice=&maxPrice=').expect(303);
        expect(unbounded.headers.location).toBe('/?category=tea');
        const refused = await request(shop.app).get('/?minPrice=ten').set(json).expect(422);
        expect(refused.body.error).toContain('minPrice: must be a lowest price in dollars, like 15 or 15.50');
      });

      it('refuses a price range it cannot use with 422 naming the field', async () => {
        for (const [query, message] of [
          ['minPriceCents=abc', 'minPriceCents: must be a lowest price in cents'],
          ['maxPriceCents=9.5', 'maxPriceCents: must be a whole number of cents'],
          ['minPriceCents=-1', 'minPriceCents: must be 0 or more'],
          ['minPriceCents=2000&maxPriceCents=1000', 'maxPriceCents: must not be below minPriceCents'],
        ]) {
          const res = await request(shop.app).get(`/?${query}`).set(json).expect(422);
          expect(res.body.error).toContain(message);
        }
        await request(shop.app).get('/?maxPriceCents=abc').expect(422);
      });

      it('searches for the nearest catalog word when nothing begins with the one typed, and says so', async () => {
        const res = await request(shop.app).get('/?q=cofee').set(json).expect(200);
        expect(res.body.searchedFor).toBe('coffee');
        expect(res.body.total).toBeGreaterThan(0);
        const page = decode((await request(shop.app).get('/?q=expreso').expect(200)).text);
        expect(page).toContain('Showing results for espresso');
        expect(page).toContain('Terracotta Espresso Cups Set of 2');
        const accents = await request(shop.app).get('/?q=ETHIOP%C3%8DA').set(json).expect(200);
        expect(accents.body.products.map((p: Listed) => p.id)).toEqual(['p-001']);
        expect(decode((await request(shop.app).get('/?q=tea').expect(200)).text)).not.toContain('Showing results for');
      });

      it('shows a sale on the pages showing that product, and only changes their cache keys', async () => {
        const before = shop.services.pages.size;
        await request(shop.app).get('/?category=tea').expect(200);
        await request(shop.app).get('/?category=coffee').expect(200);
        const cached = shop.services.pages.size;
        expect(cached).toBe(before + 2);
        const coffee = (await request(shop.app).get('/?category=coffee').set(json)).body.products[0] as Listed;
        const level = await shop.services.stock.levelOf(coffee.id);
        onTestFinished(() => shop.services.stock.set(coffee.id, level));
        await shop.services.stock.set(coffee.id, 2);
        // The tea page is served from the cache; the coffee page is rendered anew, with the new level.
        await request(shop.app).get('/?category=tea').expect(200);
        expect(shop.services.pages.size).toBe(cached);
        expect(decode((await request(shop.app).get('/?category=coffee').expect(200)).text)).toContain('Only 2 left');
        expect(shop.services.pages.size).toBe(cached + 1);
      });
    });

    describe('GET /', () => {
      it('lists the first page of products as HTML with add-to-cart forms', async () => {
        const res = await request(shop.app).get('/').expect(200).expect('Content-Type', /html/);
        const page = decode(res.text);
        expect(page).toContain(productName('Ethiopia Yirgacheffe Beans 250 g'));
        expect(page).toContain('$14.50');
        expect(page).toMatch(/<form action="\/cart\/items" method="post"/);
      });

      it('answers JSON on the same path with a page of products', async () => {
        const res = await request(shop.app).get('/').set(json).expect(200);
        expect(res.body.products).toHaveLength(12);
        expect(res.body.total).toBe(shop.catalog.products.length);
        expect(res.body.pageCount).toBe(Math.ceil(shop.catalog.products.length / 12));
      });

      it('filters by category', async () => {
        const res = await request(shop.app).get('/?category=tea').set(json).expect(200);
        const products: Listed[] = res.body.products;
        expect(products.length).toBeGreaterThan(0);
        expect(products.every((p) => p.category === 'tea')).toBe(true);
      });

      it('searches names and descriptions, every word must match', async () => {
        const res = await request(shop.app).get('/?q=ethiopia%20beans').set(json).expect(200);
        expect(res.body.products.map((p: Listed) => p.id)).toEqual(['p-001']);
        const none = await request(shop.app).get('/?q=zebra').expect(200);
        expect(decode(none.text)).toContain('Nothing matches “zebra”');
      });

      it('sorts by price both ways', async () => {
        const asc = await request(shop.app).get('/?sort=price-asc').set(json).expect(200);
        const prices: number[] = asc.body.products.map((p: Listed) => p.priceCents);
        expect(prices).toEqual([...prices].sort((a, b) => a - b));
        const desc = await request(shop.app).get('/?sort=price-desc').set(json).expect(200);
        const top = Math.max(...shop.catalog.products.map((p) => p.priceCents));
        expect(desc.body.products[0].priceCents).toBe(top);
      });

      it('paginates without repeating or skipping products', async () => {
        const pages = await Promise.all([1, 2, 3].map((page) => request(shop.app).get(`/?page=${page}`).set(json)));
        const ids = pages.flatMap((p) => p.body.products.map((x: Listed) => x.id));
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(shop.catalog.products.length);
      });

      it('links to the next page keeping the search and category', async () => {
        const { agent } = await visitor(shop);
        await agent.post('/preferences').set(json).send({ pageSize: 6 }).expect(200);
        // "coffee" finds the seven coffee products (by their category): two pages of six.
        const first = decode((await agent.get('/?q=coffee&category=coffee').expect(200)).text);
        expect(first).toContain('href="/?q=coffee&category=coffee&page=2"');
        const second = await agent.get('/?q=coffee&category=coffee&page=2').set(json).expect(200);
        expect(second.body.page).toBe(2);
        expect(second.body.products.map((p: Listed) => p.category)).toEqual(['coffee']);
        const sorted = decode((await request(shop.app).get('/?sort=name').expect(200)).text);
        expect(sorted).toContain('href="/?sort=name&page=2"');
      });

      it('keeps the search in the box and in every category link', async () => {
        const page = decode((await request(shop.app).get('/?q=tea&category=tea').expect(200)).text);
        expect(page).toContain('name="q" value="tea"');
        expect(page).toContain('href="/?q=tea&category=coffee"');
        expect(page).toMatch(/href="\/\?q=tea" class="chip"/); // "All" keeps the search too
        const home = decode((await request(shop.app).get('/').expect(200)).text);
        expect(home).toContain('name="q" value=""');
        expect(home).toMatch(/href="\/" class="chip chip--active"/);
      });

      it('ranks name matches first, on whole words: "tea" never finds "steamed"', async () => {
        const res = await request(shop.app).get('/?q=tea').set(json).expect(200);
        const names: string[] = res.body.products.map((p: Listed) => p.name);
        expect(names).not.toContain('House Espresso Blend 1 kg'); // "…under steamed milk"
        const firstWithout = names.findIndex((n) => !/\btea\b/i.test(n));
        expect(firstWithout).toBeGreaterThan(0);
        expect(names.slice(firstWithout).some((n) => /\btea\b/i.test(n))).toBe(false);
      });

      it('refuses a bad sort with 422 naming the field', async () => {
        const res = await request(shop.app).get('/?sort=cheapest').set(json).expect(422);
        expect(res.body.error).toContain('sort');
      });

      it('sends a page below 1 or not a whole number to page 1, keeping the rest of the URL', async () => {
        for (const page of ['0', '-3', 'abc', '1.5', '', '00']) {
          const res = await request(shop.app).get(`/?q=tea&page=${page}&sort=name`).expect(302);
          expect(res.headers.location, `page=${page}`).toBe('/?q=tea&sort=name');
        }
        expect((await request(shop.app).get('/?page=0').set(json).expect(302)).headers.location).toBe('/');
      });

      it('shows the last page for a page past the end, however far', async () => {
        const last = Math.ceil(shop.catalog.products.length / 12);
        for (const page of [last + 1, 99_999_999]) {
          const res = await request(shop.app).get(`/?page=${page}`).set(json).expect(200);
          expect(res.body.page).toBe(last);
        }
      });

      it('takes a category in any case: Tea is tea', async () => {
        const lower = await request(shop.app).get('/?category=tea').set(json).expect(200);
        const upper = await request(shop.app).get('/?category=Tea').set(json).expect(200);
        expect(upper.body.products).toEqual(lower.body.products);
        const page = decode((await request(shop.app).get('/?category=TEA').expect(200)).text);
        expect(page).toMatch(/class="chip chip--active" aria-current="page">Tea </);
      });

      it('answers an unknown category with a 404 page linking to the real ones', async () => {
        const res = await request(shop.app).get('/?category=cars').expect(404).expect('Content-Type', /html/);
        const page = decode(res.text);
        expect(page).toContain('We have no “cars” category');
        expect(page).not.toMatch(/422|schema|category:/);
        for (const name of shop.catalog.categories) expect(page).toContain(`href="/?category=${name}"`);
        expect(page).toContain('href="/"');
      });

      it('answers an unknown category with a 404 and a clear message to JSON callers', async () => {
        const res = await request(shop.app).get('/?category=cars').set(json).expect(404);
        expect(res.body.error).toBe(
          `There is no category called "cars". The categories are: ${shop.catalog.categories.join(', ')}.`,
        );
      });
    });

    describe('GET /products/:slug', () => {
      it('shows the product with its price and availability', async () => {
        const res = await request(shop.app).get('/products/ethiopia-yirgacheffe-beans-250-g').expect(200);
        const page = decode(res.text);
        expect(page).toContain(`<h1>${productName('Ethiopia Yirgacheffe Beans 250 g')}</h1>`);
        expect(page).toContain('In stock');
      });

      it('marks a sold-out product and offers no add button', async () => {
        const soldOut = shop.catalog.findById('p-006');
        const res = await request(shop.app).get(`/products/${soldOut?.slug}`).expect(200);
        expect(res.text).toContain('Sold out');
        expect(res.text).not.toMatch(/name="productId" value="p-006"/);
      });

      it('answers an unknown slug with a friendly 404 page', async () => {
        const res = await request(shop.app).get('/products/no-such-thing').expect(404);
        expect(res.text).toContain('We could not find that product');
        expect(res.text).toContain('Back to the shop');
      });

      it('remembers the last five products viewed, most recent first', async () => {
        const { agent } = await visitor(shop);
        const slugs = shop.catalog.products.slice(0, 7).map((p) => p.slug);
        for (const slug of slugs) await agent.get(`/products/${slug}`).expect(200);
        const res = await agent.get(`/products/${slugs[0]}`).set(json).expect(200);
        const recent = res.body.recentlyViewed.map((p: Listed) => p.id);
        // The product on screen is left out of its own "recently viewed".
        expect(recent).toEqual(['p-007', 'p-006', 'p-005', 'p-004']);
      });
    });
  });
