// The suite's fixture: one browser and one running shop for the file, a fresh browser
// context per shopper, and after every test a check that none of its pages logged a
// console error, threw, or broke the Content-Security-Policy.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ShopOptions } from '../helpers/shop.js';
import { launchChromium, type RunningShop, startShop } from './browser.js';
import { openShopper, type Shopper, type ShopperOptions } from './shopper.js';

/** Products the tests use, from data/products.json (all with plenty of stock). */
export const ETHIOPIA = {
  id: 'p-001',
  slug: 'ethiopia-yirgacheffe-beans-250-g',
  name: 'Ethiopia Yirgacheffe Beans 250 g',
};
export const COLOMBIA = { id: 'p-002', slug: 'colombia-huila-beans-250-g', name: 'Colombia Huila Beans 250 g' };
export const ESPRESSO = { id: 'p-003', slug: 'house-espresso-blend-1-kg', name: 'House Espresso Blend 1 kg' };
export const EARL_GREY = { id: 'p-009', slug: 'earl-grey-supreme-100-g', name: 'Earl Grey Supreme 100 g' };

/**
 * Call inside a describe: registers the hooks and answers the ways to open a shopper.
 * `shop` configures the app, e.g. { env: { NODE_ENV: 'development' } } for the guided tour.
 */
export function browserFixture(shop?: ShopOptions) {
  let browser: Browser | undefined;
  let running: RunningShop | undefined;
  let opened: Shopper[] = [];

  beforeAll(async () => {
    [browser, running] = await Promise.all([launchChromium(), startShop(shop)]);
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  afterEach(async () => {
    const done = opened;
    opened = [];
    await Promise.all(done.map((s) => s.context.close()));
    expect(done.flatMap((s) => s.problems)).toEqual([]);
  });

  /** A shopper whose problems the caller checks and whose context the caller closes. */
  async function unwatchedShopper(options?: ShopperOptions): Promise<Shopper> {
    if (!browser || !running) throw new Error('the browser or the shop did not start');
    return openShopper(browser, running.baseURL, options);
  }

  /** A new shopper in a fresh context; its pages must stay free of errors (checked after the test). */
  async function shopper(options?: ShopperOptions): Promise<Shopper> {
    const s = await unwatchedShopper(options);
    opened.push(s);
    return s;
  }

  return { shopper, unwatchedShopper };
}
