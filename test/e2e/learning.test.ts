// What a learner reads at a phone and a desktop width: the inspector's "Last requests"
// with whole words (stacked on phones), and the guided tour panel (development only),
// which follows a change made in place by shop.js without a reload.
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addFromProductPage, cartBadge, postTo, textOf, waitForText } from './actions.js';
import { chromiumAvailable } from './browser.js';
import { browserFixture, ETHIOPIA } from './fixture.js';
import { VIEWPORTS } from './screenshots.js';

const available = await chromiumAvailable();

/** The words of an element's text that the browser breaks across two lines. */
function brokenWords(cell: Locator): Promise<string[]> {
  return cell.evaluate((element) => {
    const page = element.ownerDocument;
    const broken: string[] = [];
    const walker = page.createTreeWalker(element, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of (node.textContent ?? '').matchAll(/\S+/g)) {
        const range = page.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set<number>();
        for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
        if (tops.size > 1) broken.push(word[0]);
      }
    }
    return broken;
  });
}

const tourTitle = (page: Page) => page.locator('.tour__title');

describe.skipIf(!available)('the session inspector', () => {
  const { shopper } = browserFixture();

  describe.each(VIEWPORTS)('at $width px', (viewport) => {
    it('shows every "Why" of the last requests in whole words, across most of the width', async () => {
      const { page } = await shopper({ viewport });
      await addFromProductPage(page, ETHIOPIA.slug, 1, 1);
      await page.goto('/cart');
      await page.goto('/session');
      const rows = page.locator('.store-writes tbody tr');
      expect(await rows.count()).toBeGreaterThan(2);
      const table = await page.locator('.store-writes').boundingBox();
      const phone = viewport.width < 640;
      for (const row of await rows.all()) {
        const why = row.locator('td').nth(3);
        expect(await brokenWords(why), await textOf(why)).toEqual([]);
        const box = await why.boundingBox();
        const request = await row.locator('td').nth(1).boundingBox();
        if (!box || !request || !table) throw new Error('a row of "Last requests" is not shown');
        if (phone) {
          // Stacked: the "Why" has a line of its own under the request, as wide as the table.
          expect(box.y).toBeGreaterThanOrEqual(request.y + request.height);
          expect(box.width).toBeGreaterThan(0.9 * table.width);
        } else {
          expect(box.y).toBe(request.y); // a table row
        }
      }
      expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBe(0);
      // Stacked by CSS alone, still a table with its header to assistive technology.
      expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);
      expect(await page.getByRole('columnheader', { name: 'Why' }).count()).toBe(1);
    });

    it("shows the fixation lab's steps in whole words, the ID of each step in one piece", async () => {
      const { page } = await shopper({ viewport });
      await page.goto('/lab');
      await Promise.all([
        page.waitForURL('**/lab'),
        page.getByRole('button', { name: 'Replay an old session ID' }).click(),
      ]);
      const cells = page.locator('.lab__steps th, .lab__steps td');
      expect(await page.locator('.lab__steps tbody tr').count()).toBe(4);
      for (const cell of await cells.all()) expect(await brokenWords(cell), await textOf(cell)).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBe(0);
      // Still a table to assistive technology, its columns named.
      expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);
      expect(await page.getByRole('columnheader', { name: 'Session ID' }).count()).toBe(1);
    });

    it('explains each part of the Set-Cookie header in whole words', async () => {
      const { page } = await shopper({ viewport });
      await page.goto('/session');
      const meanings = page.locator('.cookie-parts dd');
      expect(await meanings.count()).toBeGreaterThan(5);
      for (const meaning of await meanings.all()) {
        expect(await brokenWords(meaning), await textOf(meaning)).toEqual([]);
      }
    });
  });
});

describe.skipIf(!available)('the guided tour (development)', () => {
  const { shopper } = browserFixture({ env: { NODE_ENV: 'development' } });

  describe.each(VIEWPORTS)('at $width px', (viewport) => {
    it('moves on to step 3 after an add in place, without a reload', async () => {
      const { page } = await shopper({ viewport });
      await page.goto(`/products/${ETHIOPIA.slug}`);
      expect(await textOf(tourTitle(page))).toBe('Tour — Step 2 of 7');
      await page.evaluate('window.e2eMarker = "same document"');

      const answered = postTo(page, '/cart/items');
      await page.locator('form.add-form').getByRole('button', { name: 'Add to cart' }).click();
      expect((await answered).status()).toBe(200);
      await waitForText(cartBadge(page), '1');
      await waitForText(tourTitle(page), 'Tour — Step 3 of 7');
      expect(await textOf(page.locator('.tour__next'))).toBe(
        'Open the session inspector to see what the server keeps for you.',
      );
      expect(await page.locator('.tour__next a').getAttribute('href')).toBe('/session');
      expect(await textOf(page.locator('.tour__change'))).toContain('cart.add');
      // Each change in one piece ("cart.p-001: 0 → 1"), never "cart.p-" on one line and "001" on the next.
      expect(await brokenWords(page.locator('.tour__change'))).toEqual([]);
      expect(await page.evaluate('window.e2eMarker')).toBe('same document');
    });

    it('shows the last change after a quantity changed in place on the cart page', async () => {
      const { page } = await shopper({ viewport });
      await addFromProductPage(page, ETHIOPIA.slug, 2, 2);
      await page.goto('/cart');
      const answered = postTo(page, `/cart/items/${ETHIOPIA.id}`);
      await page.getByLabel(`Quantity of ${ETHIOPIA.name}`).selectOption('4');
      expect((await answered).status()).toBe(200);
      await waitForText(cartBadge(page), '4');
      await page.locator('.tour__change', { hasText: '2 → 4' }).waitFor();
    });
  });
});
