// Screenshots of the catalog, a product page and the cart (before and after a quantity
// change) at a phone and a desktop size (VIEWPORTS), for a person to look at after a CSS
// or script change: os.tmpdir()/session-shop-shots.
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addFromProductPage, waitForText } from './actions.js';
import type { Shopper } from './shopper.js';

// Product images are loading="lazy": in a full-page shot the ones below the fold would be
// blank. Make them eager and wait until each is decoded (a broken one is reported as a
// console error by the page watch, so it is not an error here).
const LOAD_LAZY_IMAGES = `Promise.all(Array.from(document.images, (img) => {
  img.loading = 'eager';
  return img.decode().catch(() => undefined);
}))`;

const loadLazyImages = (page: Page) => page.evaluate(LOAD_LAZY_IMAGES);

export const SHOTS_DIR = join(tmpdir(), 'session-shop-shots');

export const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

export type Shot = { path: string; bytes: number };

/**
 * Shoots three pages as `shopper` sees them, with one product (two of it) in the cart,
 * then the cart again once its drop-down has made it four in place (shop.js, no reload).
 */
export async function takeScreenshots(shopper: Shopper, productSlug: string): Promise<Shot[]> {
  const { page } = shopper;
  const viewport = page.viewportSize() ?? { width: 0, height: 0 };
  await mkdir(SHOTS_DIR, { recursive: true });
  await addFromProductPage(page, productSlug, 2, 2);
  const shots: Shot[] = [];
  const pages = { catalog: '/', product: `/products/${productSlug}`, cart: '/cart' };
  const shoot = async (name: string) => {
    const file = join(SHOTS_DIR, `${name}-${viewport.width}x${viewport.height}.png`);
    await rm(file, { force: true }); // a file left by an earlier run must not pass for this one
    await loadLazyImages(page);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    shots.push({ path: file, bytes: (await stat(file)).size });
  };
  for (const [name, path] of Object.entries(pages)) {
    await page.goto(path);
    await shoot(name);
  }
  const answered = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.locator('[data-cart-line]').getByRole('combobox').selectOption('4');
  await answered;
  await waitForText(page.locator('.summary [data-cart-count]'), '4');
  await shoot('cart-changed');
  return shots;
}
