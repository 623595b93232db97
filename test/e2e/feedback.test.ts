// What a shopper sees and hears while browsing: feedback where they are looking when
// they add to the cart, display preferences that change one thing at a time, a phone
// layout that shows products first, cards that line up, and keyboard access.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cartBadge, fillIn, flashMessages, logIn, navigation, postTo, textOf, waitForText } from './actions.js';
import { chromiumAvailable } from './browser.js';
import { browserFixture, EARL_GREY } from './fixture.js';

const available = await chromiumAvailable();
const PHONE = { width: 390, height: 844 };

/** The quantity of one product in the session's cart, as the JSON contract gives it. */
async function quantityInCart(page: Page, productId: string): Promise<number> {
  const res = await page.request.get('/cart', { headers: { Accept: 'application/json' } });
  const lines: { productId: string; quantity: number }[] = (await res.json()).cart.lines;
  return lines.find((l) => l.productId === productId)?.quantity ?? 0;
}

/** Is the element wholly inside the screen as it is scrolled now? */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  const screen = page.viewportSize();
  return Boolean(box && screen && box.y >= 0 && box.y + box.height <= screen.height);
}

const card = (page: Page, name: string) => page.locator('.product-card', { hasText: name });

describe.skipIf(!available)('feedback where the shopper looks', () => {
  const { shopper } = browserFixture();

  describe('adding from a card far down the page, on a phone', () => {
    it('says "Added ✓" on the button, announces it politely and keeps the badge in sight', async () => {
      const { page } = await shopper({ viewport: PHONE });
      await page.goto('/');
      const earlGrey = card(page, EARL_GREY.name);
      await earlGrey.scrollIntoViewIfNeeded();
      expect(await page.evaluate('window.scrollY')).toBeGreaterThan(800);

      const answered = postTo(page, '/cart/items');
      await earlGrey.getByRole('button', { name: 'Add to cart' }).click();
      expect((await answered).status()).toBe(200);
      await waitForText(earlGrey.getByRole('button'), 'Added ✓');
      await waitForText(cartBadge(page), '1');
      expect(await onScreen(page, 'header .cart-badge')).toBe(true);
      await page.getByRole('link', { name: 'Cart, 1 item', exact: true }).waitFor();
      expect(await page.locator('[data-flash-area]').getAttribute('aria-live')).toBe('polite');
      expect(await textOf(flashMessages(page))).toBe(`Added to your cart: ${EARL_GREY.name} (now 1).`);
      // A moment later the button reads as before, ready for another.
      await waitForText(earlGrey.getByRole('button'), 'Add to cart');
    });
  });

  describe('when the answer goes wrong', () => {
    it('never posts an add again once the server has answered, even unreadably', async () => {
      const { page } = await shopper();
      await page.goto('/');
      let posts = 0;
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === '/cart/items') posts += 1;
      });
      // The server applies the add; the page receives something that is not JSON.
      await page.route('**/cart/items', async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, body: '<h1>Bad gateway</h1>', contentType: 'text/html' });
      });
      await card(page, EARL_GREY.name).getByRole('button', { name: 'Add to cart' }).click();
      await flashMessages(page).filter({ hasText: 'did not work' }).waitFor();
      expect(posts).toBe(1);
      expect(await quantityInCart(page, EARL_GREY.id)).toBe(1);
    });

    it('falls back to a normal form post when the request never reached the server', async () => {
      const { page, problems } = await shopper();
      await page.goto('/');
      await page.route('**/cart/items', (route) => route.abort('connectionrefused'), { times: 1 });
      await navigation(page, () => card(page, EARL_GREY.name).getByRole('button', { name: 'Add to cart' }).click());
      expect(await textOf(flashMessages(page))).toBe(`Added 1 × ${EARL_GREY.name} to your cart.`);
      expect(await quantityInCart(page, EARL_GREY.id)).toBe(1);
      // The refused fetch is logged by Chromium: it is what this test staged.
      problems.splice(0, problems.length, ...problems.filter((p) => !p.includes('ERR_CONNECTION_REFUSED')));
    });
  });

  describe('display preferences with JavaScript on', () => {
    it('stores only the one that changed', async () => {
      const { page } = await shopper();
      await page.goto('/');
      const saved = postTo(page, '/preferences');
      await navigation(page, () => page.getByLabel('Sort').selectOption('name'));
      expect((await saved).request().postDataJSON()).toEqual({ sort: 'name' });
      expect(await page.getByLabel('Sort').inputValue()).toBe('name');
      const inspected = await page.request.get('/session', { headers: { Accept: 'application/json' } });
      expect((await inspected.json()).data.prefs).toEqual({ sort: 'name' });
    });
  });

  describe('layout', () => {
    it('on a phone, keeps the display choices behind "Display" and shows a product in the first screen', async () => {
      const { page } = await shopper({ viewport: PHONE });
      await page.goto('/');
      expect(await page.getByLabel('Sort').isVisible()).toBe(false);
      expect(await onScreen(page, '.product-card')).toBe(true);
      await page.getByText('Display', { exact: true }).click();
      expect(await page.getByLabel('Sort').isVisible()).toBe(true);
    });

    it.each([
      ['alice', 'a short name'],
      ['ravi.kumar-from-pune', 'a long name, cut short'],
    ])('on a phone, keeps a logged-in header to one row above the search (%s: %s)', async (username) => {
      const { page } = await shopper({ viewport: PHONE });
      if (username === 'alice') await logIn(page, 'alice', 'alice-demo-pass');
      else {
        await page.goto('/register');
        await fillIn(page, { Username: username, 'Password (8 characters or more)': 'a-long-enough-password' });
        await navigation(page, () => page.locator('main').getByRole('button', { name: 'Create account' }).click());
      }
      const middle = async (link: string | RegExp) => {
        const box = await page.locator('header').getByRole('link', { name: link, exact: true }).boundingBox();
        return box ? box.y + box.height / 2 : Number.NaN;
      };
      const logo = await page.locator('header .logo').boundingBox();
      if (!logo) throw new Error('no logo in the header');
      for (const link of ['Session', username, 'Log out', /^Cart, /]) {
        const y = await middle(link);
        expect(y, String(link)).toBeGreaterThan(logo.y);
        expect(y, String(link)).toBeLessThan(logo.y + logo.height);
      }
      expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBe(0);
    });

    it('on a desktop, shows the display choices without opening anything', async () => {
      const { page } = await shopper();
      await page.goto('/');
      for (const label of ['Sort', 'View', 'Per page', 'Theme'])
        expect(await page.getByLabel(label).isVisible()).toBe(true);
    });

    it('lines up the add buttons of a row, "Only 3 left" or not, and strikes no sold-out price', async () => {
      const { page } = await shopper();
      await page.goto('/');
      const row = page.locator('.product-card').filter({ has: page.locator('button') });
      const tops = await Promise.all(
        (await row.all()).slice(0, 4).map(async (c) => (await c.getByRole('button').boundingBox())?.y),
      );
      expect(await card(page, 'Sumatra').getByText('Only 3 left').isVisible()).toBe(true);
      expect(new Set(tops).size).toBe(1);
      const soldOut = card(page, 'Kenya AA Nyeri');
      await soldOut.getByText('Sold out').waitFor();
      const price = '.product-card--sold-out .price';
      expect(await soldOut.locator('.price').count()).toBe(1);
      expect(await page.evaluate(`getComputedStyle(document.querySelector('${price}')).textDecorationLine`)).toBe(
        'none',
      );
    });
  });

  describe('keyboard', () => {
    it('reaches "Skip to content" first, which moves on to the main content', async () => {
      const { page } = await shopper();
      await page.goto('/');
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement.id')).toBe('main');
    });

    it('rings a focused field, drop-down, button and link with a solid 3px outline', async () => {
      const { page } = await shopper();
      await page.goto('/');
      for (const selector of ['#search-q', '.prefs select', '.search button', '.product-card__name a']) {
        await page.locator(selector).first().focus();
        const style = 'getComputedStyle(document.activeElement)';
        const outline = await page.evaluate(`${style}.outlineStyle + ' ' + ${style}.outlineWidth`);
        expect(outline, selector).toBe('solid 3px');
        // At full strength: an opaque colour, never a faded mix.
        expect(await page.evaluate(`${style}.outlineColor`), selector).toMatch(/^rgb\(\d+, \d+, \d+\)$/);
      }
    });
  });
});
