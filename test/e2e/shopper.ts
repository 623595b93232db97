// A shopper in the browser: a fresh context (own cookies, own session) with one page,
// watched for console errors, uncaught exceptions and Content-Security-Policy violations.
import type { Browser, BrowserContext, Page } from 'playwright-core';

export type Shopper = {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far, each naming its page. */
  problems: string[];
};

export type ShopperOptions = {
  javaScript?: boolean;
  viewport?: { width: number; height: number };
};

// Runs in every page before its own scripts (JavaScript on only); Chromium also logs
// each violation to the console by itself, which catches them with JavaScript off.
const REPORT_CSP_VIOLATIONS = `
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline code'));
  });
`;

// Long enough for a slow machine, short enough that a stuck wait fails with the
// locator it was waiting for, well inside vitest's 30 s test timeout.
const WAIT_MS = 10_000;

export async function openShopper(browser: Browser, baseURL: string, options: ShopperOptions = {}): Promise<Shopper> {
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled: options.javaScript ?? true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(WAIT_MS);
  await context.addInitScript({ content: REPORT_CSP_VIOLATIONS });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception on ${page.url()}: ${error.message}`));
  return { context, page, problems };
}
