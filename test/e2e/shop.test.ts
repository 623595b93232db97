// Session Shop in a real browser (Debian Chromium via playwright-core): what a shopper
// does with JavaScript on and off, logging in and out, checkout, the session inspector,
// and pages free of console errors and CSP violations. One server for the file, a
// fresh browser context (own cookies, own session) for every test.
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addFromProductPage,
  cartBadge,
  cartLines,
  cartSummary,
  fillIn,
  flashMessages,
  logIn,
  logOut,
  MINA,
  navigation,
  postTo,
  textOf,
  waitForText,
} from './actions.js';
import { chromiumAvailable } from './browser.js';
import { browserFixture, COLOMBIA, EARL_GREY, ESPRESSO, ETHIOPIA } from './fixture.js';
import { takeScreenshots, VIEWPORTS } from './screenshots.js';

const available = await chromiumAvailable();

describe.skipIf(!available)('Session Shop in Chromium', () => {
  const { shopper, unwatchedShopper } = browserFixture();

  describe('adding to the cart with JavaScript on', () => {
    it('updates the header badge in place, then the cart page shows the line and the subtotal', async () => {
      const { page } = await shopper();
      await page.goto('/');
      await page.getByRole('heading', { name: 'Good things for good mornings' }).waitFor();
      await navigation(page, () => page.getByRole('link', { name: ETHIOPIA.name }).click());
      expect(new URL(page.url()).pathname).toBe(`/products/${ETHIOPIA.slug}`);
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe(ETHIOPIA.name);
      expect(await textOf(cartBadge(page))).toBe('0');

      // A marker on this document and a count of navigations: both show that no page load happens.
      await page.evaluate('window.e2eMarker = "same document"');
      let navigations = 0;
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations += 1;
      });
      const form = page.locator('form.add-form');
      await form.getByLabel('Quantity', { exact: true }).selectOption('2');
      const answered = postTo(page, '/cart/items');
      await form.getByRole('button', { name: 'Add to cart' }).click();
      expect((await answered).status()).toBe(200);
      await waitForText(cartBadge(page), '2');
      await waitForText(flashMessages(page), `Added to your cart: ${ETHIOPIA.name} (now 2).`);
      expect(await page.evaluate('window.e2eMarker')).toBe('same document');
      expect(navigations).toBe(0);
      expect(new URL(page.url()).pathname).toBe(`/products/${ETHIOPIA.slug}`);

      await navigation(page, () => page.getByRole('link', { name: /^Cart,/ }).click());
      expect(new URL(page.url()).pathname).toBe('/cart');
      expect(await cartLines(page)).toEqual([`${ETHIOPIA.name} × 2`]);
      expect(await textOf(page.locator(`[data-cart-line="${ETHIOPIA.id}"] [data-line-total]`))).toBe('$29.00');
      expect(await textOf(page.locator('[data-cart-subtotal]'))).toBe('$29.00');
    });

    it('changes a quantity from the drop-down and updates the subtotal in place', async () => {
      const { page } = await shopper();
      await addFromProductPage(page, ETHIOPIA.slug, 2, 2);
      await page.goto('/cart');
      const line = page.locator(`[data-cart-line="${ETHIOPIA.id}"]`);
      // With JavaScript the drop-down applies itself: its "Update" button is hidden.
      expect(await line.getByRole('button', { name: 'Update' }).isHidden()).toBe(true);

      await page.evaluate('window.e2eMarker = "same document"');
      const answered = postTo(page, `/cart/items/${ETHIOPIA.id}`);
      await line.getByLabel(`Quantity of ${ETHIOPIA.name}`).selectOption('3');
      expect((await answered).status()).toBe(200);
      await waitForText(page.locator('[data-cart-subtotal]'), '$43.50');
      await waitForText(line.locator('[data-line-total]'), '$43.50');
      await waitForText(cartBadge(page), '3');
      expect(await page.evaluate('window.e2eMarker')).toBe('same document');

      // The change reached the session, not just the page.
      await page.reload();
      expect(await cartLines(page)).toEqual([`${ETHIOPIA.name} × 3`]);
      expect(await textOf(page.locator('[data-cart-subtotal]'))).toBe('$43.50');
    });

    // The shopper's report: $56.40 of goods, $4.95 shipping, a $46.85 total (the total before the change).
    it('updates the shipping and the total in place too, as a reload shows them', async () => {
      const { page } = await shopper();
      await addFromProductPage(page, ETHIOPIA.slug, 2, 2);
      await page.goto('/cart');
      expect(await cartSummary(page)).toEqual(['2', '$29.00', '$4.95', '$33.95']);

      // Across the free-shipping threshold ($50) and back again.
      for (const [quantity, expected] of [
        ['4', ['4', '$58.00', 'Free', '$58.00']],
        ['1', ['1', '$14.50', '$4.95', '$19.45']],
      ] as const) {
        const answered = postTo(page, `/cart/items/${ETHIOPIA.id}`);
        await page.getByLabel(`Quantity of ${ETHIOPIA.name}`).selectOption(quantity);
        expect((await answered).status()).toBe(200);
        // shop.js writes every figure at once: when the subtotal shows, so must the rest.
        await waitForText(page.locator('[data-cart-subtotal]'), expected[1]);
        expect(await cartSummary(page)).toEqual(expected);
        await page.reload();
        expect(await cartSummary(page)).toEqual(expected);
      }
    });

    it('updates the cart badge\'s aria-label ("Cart, N items") along with its number', async () => {
      const { page } = await shopper();
      await page.goto(`/products/${ETHIOPIA.slug}`);
      await page.getByRole('link', { name: 'Cart, 0 items', exact: true }).waitFor();
      await addFromProductPage(page, ETHIOPIA.slug, 1, 1);
      await page.getByRole('link', { name: 'Cart, 1 item', exact: true }).waitFor();
      await addFromProductPage(page, COLOMBIA.slug, 2, 3);
      await page.getByRole('link', { name: 'Cart, 3 items', exact: true }).waitFor();

      await page.goto('/cart');
      const answered = postTo(page, `/cart/items/${COLOMBIA.id}`);
      await page.getByLabel(`Quantity of ${COLOMBIA.name}`).selectOption('4');
      expect((await answered).status()).toBe(200);
      await page.getByRole('link', { name: 'Cart, 5 items', exact: true }).waitFor();
      expect(await textOf(cartBadge(page))).toBe('5');
    });
  });

  describe('without JavaScript', () => {
    it('posts the add form, redirects back and shows the flash message and the badge', async () => {
      const { page } = await shopper({ javaScript: false });
      await page.goto(`/products/${ETHIOPIA.slug}`);
      const form = page.locator('form.add-form');
      await form.getByLabel('Quantity', { exact: true }).selectOption('2');
      const posted = postTo(page, '/cart/items');
      await navigation(page, () => form.getByRole('button', { name: 'Add to cart' }).click());
      expect((await posted).status()).toBe(303);
      expect(new URL(page.url()).pathname).toBe(`/products/${ETHIOPIA.slug}`);
      expect(await textOf(flashMessages(page))).toBe(`Added 2 × ${ETHIOPIA.name} to your cart.`);
      expect(await textOf(cartBadge(page))).toBe('2');
    });

    it('changes a quantity with the "Update" button', async () => {
      const { page } = await shopper({ javaScript: false });
      await page.goto(`/products/${ETHIOPIA.slug}`);
      await navigation(page, () => page.locator('form.add-form').getByRole('button', { name: 'Add to cart' }).click());
      await page.goto('/cart');
      const line = page.locator(`[data-cart-line="${ETHIOPIA.id}"]`);
      await line.getByLabel(`Quantity of ${ETHIOPIA.name}`).selectOption('3');
      await navigation(page, () => line.getByRole('button', { name: 'Update' }).click());
      expect(await textOf(flashMessages(page))).toBe('Cart updated.');
      expect(await cartLines(page)).toEqual([`${ETHIOPIA.name} × 3`]);
      expect(await textOf(page.locator('[data-cart-subtotal]'))).toBe('$43.50');
      expect(await textOf(cartBadge(page))).toBe('3');
    });
  });

  describe('preferences', () => {
    it('keeps the dark theme and the list view across a reload', async () => {
      const { page } = await shopper();
      await page.goto('/');
      const html = page.locator('html');
      const grid = page.locator('main .products');
      expect(await html.getAttribute('data-theme')).toBe('light');
      expect(await grid.getAttribute('class')).not.toContain('products--list');

      // Each drop-down submits its form as soon as it changes.
      await navigation(page, () => page.getByLabel('Theme').selectOption('dark'));
      expect(await html.getAttribute('data-theme')).toBe('dark');
      await navigation(page, () => page.getByLabel('View').selectOption('list'));
      expect(await grid.getAttribute('class')).toContain('products--list');

      await page.reload();
      expect(await html.getAttribute('data-theme')).toBe('dark');
      expect(await grid.getAttribute('class')).toContain('products--list');
      expect(await page.getByLabel('Theme').inputValue()).toBe('dark');
      expect(await page.getByLabel('View').inputValue()).toBe('list');
    });
  });

  describe('logging in and out', () => {
    it('merges the guest cart at login, empties it at logout and finds it saved at the next login', async () => {
      // Another browser, earlier: ravi saved one Ethiopia and one Colombia with his account.
      const earlier = await shopper();
      await logIn(earlier.page, 'ravi', 'ravi-demo-pass');
      await addFromProductPage(earlier.page, ETHIOPIA.slug, 1, 1);
      await addFromProductPage(earlier.page, COLOMBIA.slug, 1, 2);

      const { page } = await shopper();
      await addFromProductPage(page, ETHIOPIA.slug, 2, 2);
      await logIn(page, 'ravi', 'ravi-demo-pass');
      expect(new URL(page.url()).pathname).toBe('/account');
      // The heading greets; the flash only reports the merge.
      expect(await flashMessages(page).allTextContents()).toEqual([`Added 2 × ${ETHIOPIA.name} from your guest cart.`]);
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Welcome back, ravi');
      expect(await textOf(cartBadge(page))).toBe('4');
      await page.goto('/cart');
      expect(await cartLines(page)).toEqual([`${ETHIOPIA.name} × 3`, `${COLOMBIA.name} × 1`]);

      await logOut(page);
      expect(new URL(page.url()).pathname).toBe('/login');
      await page.getByText('You have been logged out.').waitFor();
      expect(await textOf(cartBadge(page))).toBe('0');
      await page.getByRole('link', { name: 'Log in' }).waitFor();
      await page.goto('/cart');
      await page.getByText('Your cart is empty.').waitFor();
      expect(await cartLines(page)).toEqual([]);

      await logIn(page, 'ravi', 'ravi-demo-pass');
      expect(await flashMessages(page).allTextContents()).toEqual([]);
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Welcome back, ravi');
      expect(await textOf(cartBadge(page))).toBe('4');
      await page.goto('/cart');
      expect(await cartLines(page)).toEqual([`${ETHIOPIA.name} × 3`, `${COLOMBIA.name} × 1`]);
    });
  });

  describe('checkout', () => {
    it('places the order from the form and shows the confirmation with an empty cart', async () => {
      const { page } = await shopper();
      await addFromProductPage(page, ESPRESSO.slug, 2, 2);
      await page.goto('/cart');
      await navigation(page, () => page.getByRole('link', { name: 'Checkout' }).click());
      expect(new URL(page.url()).pathname).toBe('/checkout');

      await fillIn(page, MINA);
      const placed = postTo(page, '/checkout');
      await navigation(page, () => page.getByRole('button', { name: /^Place order/ }).click());
      expect((await placed).status()).toBe(303);

      const url = new URL(page.url());
      const orderId = /^\/orders\/([^/]+)$/.exec(url.pathname)?.[1];
      expect(orderId).toBeTruthy();
      expect(await textOf(page.locator('main .flash--success'))).toBe('Thank you! Your order is placed.');
      expect(await textOf(page.locator('main .notice'))).toContain('No payment was taken');
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe(`Order SS-${orderId}`);
      expect(await textOf(page.locator('main address'))).toBe('Mina Jansen Oudegracht 12 3511 AB Utrecht Netherlands');
      expect(await textOf(page.locator('main').getByText('mina@example.com'))).toBe('mina@example.com');
      expect(await textOf(page.locator('main .summary__lines li'))).toBe(`2 × ${ESPRESSO.name} at $39.90 $79.80`);
      expect(await textOf(page.locator('main dd.summary__total'))).toBe('$79.80');
      expect(await textOf(cartBadge(page))).toBe('0');
    });
  });

  describe('session inspector', () => {
    it('shows the add and the login on the timeline, newest first', async () => {
      const { page } = await shopper();
      await addFromProductPage(page, EARL_GREY.slug, 1, 1);
      await logIn(page, 'alice', 'alice-demo-pass');
      await navigation(page, () => page.getByRole('link', { name: 'Session', exact: true }).click());
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Session inspector');

      const events = await page.locator('.timeline .timeline__event').allTextContents();
      for (const event of ['created', 'cart.add', 'login', 'cart.merge']) expect(events).toContain(event);
      expect(events.indexOf('login')).toBeLessThan(events.indexOf('cart.add'));
      expect(events.indexOf('cart.add')).toBeLessThan(events.lastIndexOf('created'));

      const data = await textOf(page.locator('pre code').nth(1));
      expect(data).toContain('"username": "alice"');
      expect(data).toContain(`"productId": "${EARL_GREY.id}"`);
      const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
      expect(csrf).toBeTruthy();
      expect(data).not.toContain(String(csrf));
      expect(data).toContain('[redacted]');
    });
  });

  describe('page hygiene', () => {
    it('has no console errors or CSP violations on the main pages', async () => {
      const { page, problems } = await shopper();
      await addFromProductPage(page, ETHIOPIA.slug, 1, 1);
      /** Opens each page; answers those that were not a 200 at the address asked for (no redirect). */
      const visit = async (paths: string[]) => {
        const wrong: string[] = [];
        for (const path of paths) {
          const status = (await page.goto(path))?.status();
          const landed = `${new URL(page.url()).pathname}${new URL(page.url()).search}`;
          if (status !== 200 || landed !== path) wrong.push(`${path}: ${status} at ${landed}`);
        }
        return wrong;
      };
      const guestPages = ['/', '/?category=tea', `/products/${COLOMBIA.slug}`, '/cart', '/checkout', '/session'];
      expect(await visit([...guestPages, '/login', '/register'])).toEqual([]);

      const username = `e2e-${randomUUID().slice(0, 8)}`;
      await fillIn(page, { Username: username, Password: 'a-long-enough-password' });
      await navigation(page, () =>
        page
          .locator('main')
          .getByRole('button', { name: /create/i })
          .click(),
      );
      expect(new URL(page.url()).pathname).toBe('/account');
      // A new member is greeted as new, once: in the heading; the flash says only what is new.
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe(`Welcome, ${username}`);
      expect(await flashMessages(page).first().textContent()).toBe('Your account is ready.');
      expect(await page.getByText(/Welcome back/).count()).toBe(0);
      expect(await visit(['/account', '/dashboard', '/orders', '/cart', '/logout'])).toEqual([]);
      expect(problems).toEqual([]);
    });

    it('would notice a CSP violation: an injected inline script is blocked and reported', async () => {
      const control = await unwatchedShopper();
      try {
        await control.page.goto('/');
        const reported = control.page.waitForEvent('console', (m) => m.text().includes('CSP violation'));
        await control.page.evaluate(
          'const s = document.createElement("script"); s.textContent = "window.inlineRan = true"; document.body.append(s)',
        );
        await reported;
        expect(await control.page.evaluate('window.inlineRan === true')).toBe(false);
        expect(control.problems.some((p) => p.includes('CSP violation: script-src'))).toBe(true);
      } finally {
        await control.context.close();
      }
    });
  });

  describe('screenshots', () => {
    const cases = VIEWPORTS.flatMap((viewport) =>
      (['light', 'dark'] as const).map((theme) => ({ ...viewport, theme })),
    );
    it.each(cases)(
      'shows every page without sideways scrolling, its header and heading in sight, at $width×$height ($theme)',
      async ({ width, height, theme }) => {
        const s = await shopper({ viewport: { width, height } });
        await s.page.goto('/');
        expect((await s.page.request.post('/preferences', { data: { theme } })).status()).toBe(200);
        const shots = await takeScreenshots(s, ETHIOPIA.slug, `-${theme}`);
        console.log(`Screenshots:\n${shots.map((shot) => `  ${shot.path} (${shot.bytes} bytes)`).join('\n')}`);
        expect(shots.map((shot) => basename(shot.path))).toEqual(
          ['catalog', 'product', 'cart', 'cart-changed', 'login', 'checkout'].map(
            (name) => `${name}-${width}x${height}-${theme}.png`,
          ),
        );
        for (const shot of shots) {
          expect(shot.bytes, shot.name).toBeGreaterThan(0);
          expect(shot.overflowX, `${shot.name}: wider than the screen by`).toBe(0);
          expect(shot.headerInView, `${shot.name}: header in sight`).toBe(true);
          expect(shot.headingInView, `${shot.name}: main heading in sight`).toBe(true);
        }
      },
    );
  });
});
