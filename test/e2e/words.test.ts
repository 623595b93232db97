// Issue 22's page items in Chromium, at a phone and a desktop width: product names that
// keep a number with its unit, the logo's name beside a member's links, merge notices
// that warn, a refused checkout that Back can return to, Back after an order, and the
// catalog's answers to a category or page it does not have.
import { describe, expect, it, onTestFinished } from 'vitest';
import { addFromProductPage, fillIn, logIn, logOut, MINA, navigation, textOf } from './actions.js';
import { chromiumAvailable } from './browser.js';
import { browserFixture, COLOMBIA, ETHIOPIA } from './fixture.js';
import { VIEWPORTS } from './screenshots.js';

const available = await chromiumAvailable();

// For each element: the texts "150 g" whose number ends one line and whose unit starts the next.
const SPLIT_UNITS = `(selector) => Array.from(document.querySelectorAll(selector)).flatMap((el) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const split = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/(\\d)\\s(\\p{L})/gu)) {
      const top = (offset) => {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        return range.getBoundingClientRect().top;
      };
      if (top(m.index) !== top(m.index + 2)) split.push(node.data);
    }
  }
  return split;
})`;

/** Where product names are shown: cards, the product page, cart lines, the checkout's summary. */
const NAMES = '.product-card__name, .product h1, .cart-line__name, .summary__lines span';
/** Names with a number and a unit that a narrow column used to break between. */
const UNIT_NAMES = ['masala-chai-loose-leaf-150-g', 'dark-chocolate-bar-70-100-g', 'ceremonial-matcha-30-g'];

const splitUnits = async (page: import('playwright-core').Page, selector: string) =>
  (await page.evaluate(`(${SPLIT_UNITS})(${JSON.stringify(selector)})`)) as string[];

describe.skipIf(!available)('Words a shopper understands, in Chromium', () => {
  const { shopper, unwatchedShopper } = browserFixture();

  for (const viewport of VIEWPORTS) {
    describe(`at ${viewport.width} px`, () => {
      it('never breaks a product name between a number and its unit', async () => {
        const { page } = await shopper({ viewport });
        for (const slug of UNIT_NAMES) await addFromProductPage(page, slug, 1, UNIT_NAMES.indexOf(slug) + 1);
        for (const path of ['/', '/?page=2', '/?page=3', `/products/${UNIT_NAMES[0]}`, '/cart', '/checkout']) {
          await page.goto(path);
          expect(await splitUnits(page, NAMES), path).toEqual([]);
        }
      });

      it('shows the logo’s name beside a member’s links, without sideways scrolling', async () => {
        const { page } = await shopper({ viewport });
        await logIn(page, 'ravi', 'ravi-demo-pass');
        const name = page.locator('.logo__name');
        expect(await name.isVisible()).toBe(true);
        const box = await name.boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(40);
        expect(await textOf(name)).toBe('Session Shop');
        expect(Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'))).toBe(0);
        // Every link of the header still there, none covering another.
        for (const link of ['ravi', 'Log out'])
          expect(await page.getByRole('link', { name: link }).isVisible()).toBe(true);
      });

      it('styles capped and dropped merge lines as warnings, not like an added one', async () => {
        const { page } = await shopper({ viewport });
        const user = viewport.width < 640 ? 'alice' : 'ravi'; // a saved cart of its own for each width
        await logIn(page, user, `${user}-demo-pass`);
        await addFromProductPage(page, ETHIOPIA.slug, 1, 1);
        await logOut(page);
        await addFromProductPage(page, ETHIOPIA.slug, 10, 10);
        await addFromProductPage(page, COLOMBIA.slug, 1, 11);
        await logIn(page, user, `${user}-demo-pass`);
        // The saved cart already holds one Ethiopia, so ten more are capped at the most per order.
        const colours = (await page.evaluate(
          `Array.from(document.querySelectorAll('[data-flash-area] .flash'), (el) => [el.textContent.trim(), getComputedStyle(el).backgroundColor])`,
        )) as [string, string][];
        const added = colours.find(([text]) => text?.startsWith('Added'));
        const capped = colours.find(([text]) => text?.includes('you wanted'));
        expect(added).toBeDefined();
        expect(capped).toBeDefined();
        expect(capped?.[1]).not.toBe(added?.[1]);
        expect(await page.locator('.flash--warning').count()).toBeGreaterThan(0);
        expect(await page.getByText(/Welcome back/).count()).toBe(1);
      });
    });
  }

  it('sends Back to a refused checkout form by GET: no resubmission, a clean form', async () => {
    const { page } = await shopper();
    await addFromProductPage(page, ETHIOPIA.slug, 1, 1);
    await page.goto('/checkout');
    await fillIn(page, { ...MINA, Email: 'mina-at-example' });
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
    });
    await page.getByLabel('Email').evaluate((el) => el.removeAttribute('type')); // past the browser's own check
    await navigation(page, () => page.getByRole('button', { name: /Place order/ }).click());
    expect(new URL(page.url()).pathname).toBe('/checkout');
    await page.getByText('Email: enter an address like name@example.com').first().waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe('mina-at-example');
    await navigation(page, () => page.goto('/cart'));
    const back = await page.goBack();
    expect(back?.status()).toBe(200);
    expect(back?.request().method()).toBe('GET');
    expect(new URL(page.url()).pathname).toBe('/checkout');
    await page.getByRole('heading', { name: 'Checkout' }).waitFor();
    expect(posts).toEqual(['/checkout']);
  });

  it('says the order was placed, with its number, on Back from the confirmation', async () => {
    const { page } = await shopper();
    await addFromProductPage(page, ETHIOPIA.slug, 1, 1);
    await page.goto('/checkout');
    await fillIn(page, MINA);
    await navigation(page, () => page.getByRole('button', { name: /Place order/ }).click());
    const number = await textOf(page.locator('.order-number'));
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe('/checkout');
    await page.getByText(`Your order ${number} was placed`).waitFor();
    expect(await page.getByText('Your cart is empty: add something before checking out.').count()).toBe(0);
  });

  it('answers a category in any case, and an unknown one with links to the real ones', async () => {
    // Chromium logs every 404 document as a console error: that one is expected here.
    const { page, context, problems } = await unwatchedShopper({ viewport: { width: 390, height: 844 } });
    onTestFinished(() => context.close());
    const tea = await page.goto('/?category=Tea');
    expect(tea?.status()).toBe(200);
    expect(await page.locator('.chip--active').first().textContent()).toMatch(/^Tea/);
    const cars = await page.goto('/?category=Cars');
    expect(cars?.status()).toBe(404);
    await page.getByRole('heading', { name: 'We have no “Cars” category' }).waitFor();
    await navigation(page, () => page.locator('main').getByRole('link', { name: 'Tea', exact: true }).click());
    expect(page.url()).toMatch(/\/\?category=tea$/);
    const zero = await page.goto('/?page=0');
    expect(zero?.status()).toBe(200);
    expect(new URL(page.url()).search).toBe('');
    expect(problems).toEqual([expect.stringMatching(/category=Cars: Failed to load resource: .* 404/)]);
  });
});
