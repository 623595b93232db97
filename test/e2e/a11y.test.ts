// Every page a shopper can reach, in both themes: axe-core finds no accessibility
// violation in the page as the browser shows it, and html-validate finds no error in the
// HTML the server sent. Both are assertions: the lists must be empty.
import { randomUUID } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import { HtmlValidate } from 'html-validate';
import type { Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addFromProductPage, fillIn, MINA, navigation } from './actions.js';
import { chromiumAvailable } from './browser.js';
import { browserFixture, ESPRESSO, ETHIOPIA } from './fixture.js';

const available = await chromiumAvailable();

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Partials and block helpers leave their indentation behind on otherwise empty lines
    // (login, checkout, cart…): whitespace no browser shows, not worth contorting templates.
    'no-trailing-whitespace': 'off',
  },
});

type PageCheck = { name: string; html: string; page: Page };

/** What axe finds, one line per rule and element, so a failure names what to fix. */
async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
}

async function htmlErrors(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} (line ${m.line}): ${m.message}`));
}

/** The HTML the server sent, with its status checked (collected, so one wrong page hides no other). */
async function htmlOf(response: Response | null, expectedStatus: number, what: string, found: string[]) {
  if (!response) throw new Error(`no response for ${what}`);
  if (response.status() !== expectedStatus) found.push(`${what}: status ${response.status()}, not ${expectedStatus}`);
  return response.text();
}

describe.skipIf(!available)('every page is accessible and valid HTML', () => {
  const { unwatchedShopper } = browserFixture();

  /**
   * Walks a guest, then a new member, through every page and checks each as it is shown.
   * Anything wrong, a page's status included, goes into `found`.
   */
  async function visitEveryPage(theme: 'light' | 'dark', found: string[], check: (c: PageCheck) => Promise<void>) {
    const { page, context, problems } = await unwatchedShopper();
    try {
      await walk(page);
    } finally {
      await context.close();
    }
    // Chromium logs every 4xx document as a console error: these two are the point of their visit.
    const expected = /^console error on [^ ]+\/(no-such-page|\?category=cars): .* 404 /;
    for (const problem of problems) if (!expected.test(problem)) found.push(problem);

    async function walk(page: Page) {
      const visit = async (name: string, path: string, status = 200) =>
        check({ name, page, html: await htmlOf(await page.goto(path), status, path, found) });
      await page.goto('/');
      const chosen = await page.request.post('/preferences', { data: { theme } });
      expect(chosen.status()).toBe(200);

      await visit('catalog', '/');
      await visit('search results', '/?q=tea');
      await visit('product', `/products/${ETHIOPIA.slug}`);
      await visit('empty cart', '/cart');
      await visit('login', '/login');
      await visit('register', '/register');
      await visit('session inspector', '/session');
      await visit('404', '/no-such-page', 404);
      await visit('unknown category', '/?category=cars', 404);

      await addFromProductPage(page, ESPRESSO.slug, 2, 2);
      await visit('full cart', '/cart');
      await visit('checkout', '/checkout');
      // Sent empty, past the browser's own checks, so the server answers with its error summary
      // on the GET its redirect leads to (post/redirect/get).
      await page.locator('form.stack').evaluate((form) => form.setAttribute('novalidate', ''));
      const refused = page.waitForResponse((r) => r.request().method() === 'GET' && r.url().endsWith('/checkout'));
      await navigation(page, () => page.getByRole('button', { name: /^Place order/ }).click());
      const errorsHtml = await htmlOf(await refused, 200, 'GET /checkout after a refused POST', found);
      await check({ name: 'checkout with errors', page, html: errorsHtml });

      // A new member (the cart comes along) places the order, so the orders list has one.
      await page.goto('/register');
      await fillIn(page, { Username: `a11y-${randomUUID().slice(0, 8)}`, Password: 'a-long-enough-password' });
      await navigation(page, () => page.locator('main').getByRole('button', { name: 'Create account' }).click());
      expect(new URL(page.url()).pathname).toBe('/account');
      await visit('account', '/account');
      await page.goto('/checkout');
      await fillIn(page, MINA);
      await navigation(page, () => page.getByRole('button', { name: /^Place order/ }).click());
      const orderPath = new URL(page.url()).pathname;
      expect(orderPath).toMatch(/^\/orders\/./);
      await visit('order confirmation', orderPath);
      await visit('checkout after the order', '/checkout');
      await visit('orders', '/orders');
      expect(await page.locator('.order-list li').count()).toBe(1);
      expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
    }
  }

  // A walk is some fifteen pages in a real browser: half a minute on an idle 2-vCPU machine,
  // several times that beside other work (seen: over 120 s at a load of 12). Nothing here
  // measures speed, so the bound only catches a walk that hangs.
  const WALK_TIMEOUT_MS = 600_000;

  for (const theme of ['light', 'dark'] as const) {
    it(`axe finds no violation on any page in the ${theme} theme`, { timeout: WALK_TIMEOUT_MS }, async () => {
      const found: string[] = [];
      await visitEveryPage(theme, found, async ({ name, page }) => {
        for (const v of await axeViolations(page)) found.push(`${name}: ${v}`);
      });
      expect(found).toEqual([]);
    });
  }

  it('html-validate finds no error in the HTML the server sends for any page', {
    timeout: WALK_TIMEOUT_MS,
  }, async () => {
    const found: string[] = [];
    await visitEveryPage('light', found, async ({ name, html }) => {
      for (const e of await htmlErrors(html)) found.push(`${name}: ${e}`);
    });
    expect(found).toEqual([]);
  });
});
