// Screenshots of the catalog, a product page, the cart (before and after a quantity
// change), the login page and checkout at a phone and a desktop size (VIEWPORTS), for a
// person to look at after a CSS or script change: os.tmpdir()/session-shop-shots. Each
// shot also reports what a person would notice at a glance: a page wider than the
// screen, a header or a main heading out of sight.
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

export type Shot = {
  name: string;
  path: string;
  bytes: number;
  /** How many CSS pixels the page is wider than the screen (0: no sideways scrolling). */
  overflowX: number;
  /** The site header and the page's h1, each wholly inside the first screen. */
  headerInView: boolean;
  headingInView: boolean;
};

/** Is the element shown, and wholly inside the screen as the page opens (scrolled to the top)? */
async function inFirstScreen(page: Page, selector: string): Promise<boolean> {
  const element = page.locator(selector).first();
  if (!(await element.isVisible())) return false;
  const box = await element.boundingBox();
  const screen = page.viewportSize();
  if (!box || !screen) return false;
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= screen.width && box.y + box.height <= screen.height;
}

/**
 * Shoots the pages as `shopper` sees them, with one product (two of it) in the cart, then
 * the cart again once its drop-down has made it four in place (shop.js, no reload).
 */
export async function takeScreenshots(shopper: Shopper, productSlug: string, label = ''): Promise<Shot[]> {
  const { page } = shopper;
  const viewport = page.viewportSize() ?? { width: 0, height: 0 };
  await mkdir(SHOTS_DIR, { recursive: true });
  await addFromProductPage(page, productSlug, 2, 2);
  const shots: Shot[] = [];
  const shoot = async (name: string) => {
    const file = join(SHOTS_DIR, `${name}-${viewport.width}x${viewport.height}${label}.png`);
    await rm(file, { force: true }); // a file left by an earlier run must not pass for this one
    await page.evaluate('window.scrollTo(0, 0)');
    const overflowX = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    const headerInView = await inFirstScreen(page, 'body > header');
    const headingInView = await inFirstScreen(page, 'main h1');
    await loadLazyImages(page);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    shots.push({ name, path: file, bytes: (await stat(file)).size, overflowX, headerInView, headingInView });
  };
  const pages = { catalog: '/', product: `/products/${productSlug}`, cart: '/cart' };
  for (const [name, path] of Object.entries(pages)) {
    await page.goto(path);
    await shoot(name);
  }
  const answered = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.locator('[data-cart-line]').getByRole('combobox').selectOption('4');
  await answered;
  await waitForText(page.locator('.summary [data-cart-count]'), '4');
  await shoot('cart-changed');
  for (const [name, path] of Object.entries({ login: '/login', checkout: '/checkout' })) {
    await page.goto(path);
    await shoot(name);
  }
  return shots;
}
