// What a shopper does and sees, in words the tests can read: the cart badge, the
// flash messages, adding from a product page, logging in. Every wait is on a
// specific state of the page (a load, a response, a text), never on the clock.
import type { Locator, Page, Response } from 'playwright-core';

/** The cart badge in the site header (the cart page has a second [data-cart-count]). */
export const cartBadge = (page: Page): Locator => page.locator('header [data-cart-count]');

export const flashMessages = (page: Page): Locator => page.locator('[data-flash-area] .flash');

/** The trimmed text of one element. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits until the element's whole text is `expected` (it may be changed by a script). */
export async function waitForText(locator: Locator, expected: string): Promise<void> {
  const escaped = expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await locator.filter({ hasText: new RegExp(`^\\s*${escaped}\\s*$`) }).waitFor();
}

/** Does something that loads a new document, and waits until that document has loaded. */
export async function navigation(page: Page, action: () => Promise<unknown>): Promise<void> {
  const loaded = page.waitForEvent('load'); // the old document fired its own load already
  await action();
  await loaded;
}

/** Waits for the answer to a POST to `path` (the fetch that shop.js makes, or a form post). */
export function postTo(page: Page, path: string): Promise<Response> {
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path);
}

/** With JavaScript on: adds from the product page in place and waits for the badge to show `expectedCount`. */
export async function addFromProductPage(page: Page, slug: string, quantity: number, expectedCount: number) {
  await page.goto(`/products/${slug}`);
  const form = page.locator('form.add-form'); // not the cards under "Recently viewed"
  await form.getByLabel('Quantity', { exact: true }).selectOption(String(quantity));
  const answered = postTo(page, '/cart/items');
  await form.getByRole('button', { name: 'Add to cart' }).click();
  const response = await answered;
  if (response.status() !== 200) throw new Error(`adding ${slug} answered ${response.status()}`);
  await waitForText(cartBadge(page), String(expectedCount));
}

/** Checkout details for the form, by label (Mina's shipping address is checked on the order page). */
export const MINA = {
  Name: 'Mina Jansen',
  Email: 'mina@example.com',
  Address: 'Oudegracht 12',
  City: 'Utrecht',
  'Postal code': '3511 AB',
  Country: 'Netherlands',
};

/** Types into a form's fields, each found by (the start of) its label, e.g. "Password (8 characters or more)". */
export async function fillIn(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
}

/** Logs in through the login form and waits for the page it lands on. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await fillIn(page, { Username: username, Password: password });
  await navigation(page, () => page.getByRole('button', { name: 'Log in' }).click());
}

/** Logs out the way the header offers: GET /logout, then its confirm button. */
export async function logOut(page: Page): Promise<void> {
  await navigation(page, () => page.getByRole('link', { name: 'Log out' }).click());
  await navigation(page, () => page.locator('main').getByRole('button', { name: 'Log out' }).click());
}

/** Lines of the cart page as "name × quantity", in page order. */
export async function cartLines(page: Page): Promise<string[]> {
  const lines = await page.locator('[data-cart-line]').all();
  return Promise.all(
    lines.map(async (line) => {
      const name = await textOf(line.locator('.cart-line__name'));
      const quantity = await line.getByRole('combobox').inputValue();
      return `${name} × ${quantity}`;
    }),
  );
}

/** The cart page's summary as a shopper reads it: [items, subtotal, shipping, total]. */
export async function cartSummary(page: Page): Promise<string[]> {
  const summary = page.locator('.summary');
  const figures = ['[data-cart-count]', '[data-cart-subtotal]', '[data-cart-shipping]', '[data-cart-total]'];
  return Promise.all(figures.map((figure) => textOf(summary.locator(figure))));
}
