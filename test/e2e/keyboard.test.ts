// A keyboard shopper at a phone and a desktop width: focus stays on "Add to cart" while
// its request runs, and stepping through a drop-down with the arrow keys changes nothing
// on the server until the shopper has chosen (Enter, Tab away, a pause, or "Apply").
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addFromProductPage, cartBadge, navigation, postTo, textOf, waitForText } from './actions.js';
import { chromiumAvailable } from './browser.js';
import { browserFixture, ETHIOPIA } from './fixture.js';
import { VIEWPORTS } from './screenshots.js';

const available = await chromiumAvailable();

const isFocused = (locator: Locator) => locator.evaluate((element) => element === element.ownerDocument.activeElement);

/** The bodies of the POSTs to `path` this page sends from now on. */
function postsTo(page: Page, path: string): unknown[] {
  const bodies: unknown[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === path) bodies.push(r.postDataJSON());
  });
  return bodies;
}

/** Counts what the flash area (the polite live region) is given to announce. */
const COUNT_ANNOUNCEMENTS = `window.announced = 0;
  new MutationObserver(() => { window.announced += 1; })
    .observe(document.querySelector('[data-flash-area]'), { childList: true });`;

/** The display choices, opened first on a phone, where they wait behind "Display". */
async function openDisplay(page: Page): Promise<Locator> {
  await page.goto('/');
  if (!(await page.getByLabel('Sort').isVisible())) await page.getByText('Display', { exact: true }).click();
  return page.locator('form.prefs');
}

describe.skipIf(!available)('a keyboard shopper', () => {
  const { shopper } = browserFixture();

  describe.each(VIEWPORTS)('at $width px', (viewport) => {
    it('keeps focus on "Add to cart" while the add runs, and ignores a second press', async () => {
      const { page } = await shopper({ viewport });
      await page.goto(`/products/${ETHIOPIA.slug}`);
      const button = page.locator('form.add-form button[type="submit"]');
      // The answer is held back, so the test sees the page while the request runs.
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let posts = 0;
      await page.route('**/cart/items', async (route) => {
        posts += 1;
        await held;
        await route.continue();
      });
      await button.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => posts).toBe(1);
      expect(await isFocused(button)).toBe(true);
      expect(await button.getAttribute('aria-disabled')).toBe('true');
      await page.keyboard.press('Enter');
      await page.keyboard.press(' ');

      release();
      await waitForText(cartBadge(page), '1');
      await waitForText(button, 'Added ✓');
      expect(await isFocused(button)).toBe(true);
      expect(await button.getAttribute('aria-disabled')).toBe(null);
      expect(posts).toBe(1);
      // Ready for another, still in the same place.
      await waitForText(button, 'Add to cart');
      expect(await isFocused(button)).toBe(true);
    });

    it('steps through "Sort" with the arrow keys without saving, then applies the choice on Enter', async () => {
      const { page } = await shopper({ viewport });
      const prefs = await openDisplay(page);
      const sent = postsTo(page, '/preferences');
      await page.evaluate('window.e2eMarker = "same document"');
      const sort = prefs.getByLabel('Sort');
      const apply = prefs.getByRole('button', { name: 'Apply' });
      expect(await apply.isVisible()).toBe(false);
      const before = await sort.boundingBox();
      await sort.focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      // The choice is offered, not made: no reload, nothing sent, an "Apply" button to reach.
      await apply.waitFor();
      expect(await sort.boundingBox(), 'the drop-down moved under the focus').toEqual(before);
      expect(await page.evaluate('window.e2eMarker')).toBe('same document');
      expect(await sort.inputValue()).toBe('price-desc');
      expect(sent).toEqual([]);

      const saved = postTo(page, '/preferences');
      await navigation(page, () => page.keyboard.press('Enter'));
      expect((await saved).request().postDataJSON()).toEqual({ sort: 'price-desc' });
      expect(sent).toHaveLength(1);
      // The reloaded page shows the choice and puts the shopper back on the same drop-down.
      expect(await page.getByLabel('Sort').inputValue()).toBe('price-desc');
      expect(await isFocused(page.getByLabel('Sort'))).toBe(true);
    });

    it('applies every display choice stepped through, once, with the "Apply" button', async () => {
      const { page } = await shopper({ viewport });
      const prefs = await openDisplay(page);
      const sent = postsTo(page, '/preferences');
      await page.evaluate('window.e2eMarker = "same document"');
      for (const label of ['Sort', 'View', 'Per page', 'Theme']) {
        await prefs.getByLabel(label).focus();
        await page.keyboard.press('ArrowDown');
      }
      expect(await page.evaluate('window.e2eMarker')).toBe('same document');
      expect(sent).toEqual([]);

      await navigation(page, () => prefs.getByRole('button', { name: 'Apply' }).click());
      expect(sent).toEqual([{ sort: 'price-asc', view: 'list', pageSize: '24', theme: 'dark' }]);
      expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
      expect(await page.locator('main .products').getAttribute('class')).toContain('products--list');
    });

    it('without JavaScript, applies the display choices with the "Apply" button', async () => {
      const { page } = await shopper({ viewport, javaScript: false });
      const prefs = await openDisplay(page);
      await prefs.getByLabel('View').selectOption('list');
      await prefs.getByLabel('Theme').selectOption('dark');
      await navigation(page, () => prefs.getByRole('button', { name: 'Apply' }).click());
      expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
      expect(await page.locator('main .products').getAttribute('class')).toContain('products--list');
    });

    describe('the cart quantity', () => {
      async function cartWithTwo(page: Page) {
        await addFromProductPage(page, ETHIOPIA.slug, 2, 2);
        await page.goto('/cart');
        await page.evaluate(COUNT_ANNOUNCEMENTS);
        const select = page.getByLabel(`Quantity of ${ETHIOPIA.name}`);
        await select.focus();
        return select;
      }

      it('updates once, to the last quantity, when the shopper tabs away', async () => {
        const { page } = await shopper({ viewport });
        const select = await cartWithTwo(page);
        const sent = postsTo(page, `/cart/items/${ETHIOPIA.id}`);
        for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
        expect(await select.inputValue()).toBe('5');
        const answered = postTo(page, `/cart/items/${ETHIOPIA.id}`);
        await page.keyboard.press('Tab');
        expect((await answered).request().postDataJSON()).toMatchObject({ quantity: '5' });
        await waitForText(page.locator('[data-cart-subtotal]'), '$72.50');
        expect(sent).toHaveLength(1);
        expect(await page.evaluate('window.announced')).toBe(1);
        expect(await textOf(page.locator('[data-flash-area]'))).toBe('Cart updated.');
      });

      it('updates at once on Enter and keeps focus on the drop-down', async () => {
        const { page } = await shopper({ viewport });
        const select = await cartWithTwo(page);
        const sent = postsTo(page, `/cart/items/${ETHIOPIA.id}`);
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        const answered = postTo(page, `/cart/items/${ETHIOPIA.id}`);
        await page.keyboard.press('Enter');
        expect((await answered).request().postDataJSON()).toMatchObject({ quantity: '4' });
        await waitForText(cartBadge(page), '4');
        expect(sent).toHaveLength(1);
        expect(await isFocused(select)).toBe(true);
      });

      it('updates once the shopper pauses on a quantity', async () => {
        const { page } = await shopper({ viewport });
        await cartWithTwo(page);
        const sent = postsTo(page, `/cart/items/${ETHIOPIA.id}`);
        const answered = postTo(page, `/cart/items/${ETHIOPIA.id}`);
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        expect((await answered).request().postDataJSON()).toMatchObject({ quantity: '3' });
        await waitForText(page.locator('[data-cart-subtotal]'), '$43.50');
        expect(sent).toHaveLength(1);
        expect(await page.evaluate('window.announced')).toBe(1);
      });
    });
  });
});
