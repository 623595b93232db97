// Builds a complete Session Shop for a test: the real app, the real session
// store (memorystore unless a Redis client is given) and a real database
// (SQLite :memory: unless a URL is given).
import { type Logger, pino } from 'pino';
import type { RedisClientType } from 'redis';
import request from 'supertest';
import { seedDemoAccounts } from '../../src/accounts/demo.js';
import { createApp } from '../../src/app.js';
import type { Cart } from '../../src/cart/cart.js';
import { Catalog } from '../../src/catalog/catalog.js';
import { loadProducts, type Product } from '../../src/catalog/products.js';
import { loadConfig } from '../../src/config.js';
import { type Db, openDatabase } from '../../src/db/connect.js';
import { createServices } from '../../src/services.js';

export type ShopOptions = {
  env?: Record<string, string>;
  products?: Product[];
  db?: Db;
  databaseUrl?: string;
  redis?: RedisClientType;
  demoAccounts?: boolean;
  /** Where the app logs; silent unless a test reads the log. */
  logger?: Logger;
  /** The app's clock (test/helpers/clock.ts): login timeouts pass without waiting. */
  now?: () => number;
};

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export async function makeShop(options: ShopOptions = {}) {
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: TEST_SECRET, ...options.env });
  const catalog = new Catalog(options.products ?? loadProducts('data/products.json'));
  const db = options.db ?? (await openDatabase(options.databaseUrl ?? ':memory:'));
  const services = await createServices(config, catalog, db, options.redis, options.now);
  if (options.demoAccounts !== false) await seedDemoAccounts(services.users);
  const app = createApp(services, options.logger ?? pino({ level: 'silent' }));
  return { app, services, config, catalog, db };
}

export type Shop = Awaited<ReturnType<typeof makeShop>>;

/** A shopper with a cookie jar, whose first page view has given them a session. */
export async function visitor(shop: Shop) {
  const agent = request.agent(shop.app);
  const home = await agent.get('/').expect(200);
  return { agent, csrf: csrfFrom(home.text) };
}

/**
 * Posts a form as the browser does: form-encoded, carrying the shopper's CSRF token.
 * Returns the request, so the caller chains its own expectations.
 */
export function postForm(
  { agent, csrf }: { agent: request.Agent; csrf: string },
  path: string,
  fields: Record<string, string> = {},
) {
  return agent
    .post(path)
    .type('form')
    .send({ ...fields, _csrf: csrf });
}

/** The CSRF token the page's forms carry. */
export function csrfFrom(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token in the page');
  return match[1];
}

/** The session cookie's value (signed ID) from a response, if it set one. */
export function sessionCookie(res: { headers: Record<string, unknown> }, name = 'shop.sid'): string | undefined {
  const raw = res.headers['set-cookie'];
  const cookies = Array.isArray(raw) ? (raw as string[]) : [];
  const found = cookies.find((c) => c.startsWith(`${name}=`));
  return found?.split(';')[0]?.slice(name.length + 1);
}

/** Decodes the entities Handlebars writes, so page text can be compared. */
export function decode(html: string): string {
  return html
    .replace(/&#x3D;/g, '=')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');
}

export const json = { Accept: 'application/json' };

/** The shopper's cart as the JSON contract gives it. */
export async function cartOf(agent: request.Agent) {
  return (await agent.get('/cart').set(json).expect(200)).body.cart;
}

/** A valid set of checkout details. */
export const contact = {
  name: 'Mira Guest',
  email: 'mira@example.com',
  address: '1 Bean Street',
  city: 'Lisbon',
  postalCode: '1100-001',
  country: 'Portugal',
};

/** An empty cart as the JSON answers show it: every amount in cents and as people read it. */
export const EMPTY_CART = {
  lines: [],
  count: 0,
  subtotalCents: 0,
  shippingCents: 0,
  totalCents: 0,
  subtotal: '$0.00',
  shipping: 'Free',
  total: '$0.00',
};

/** A cart from [productId, quantity] pairs, as the saved-cart repository takes it. */
export const cartWith = (...pairs: [string, number][]): Cart => ({
  lines: pairs.map(([productId, quantity]) => ({ productId, quantity })),
});

/** A cart's lines as { productId: quantity }, for comparing carts whatever their order. */
export const quantities = (cart: { lines: { productId: string; quantity: number }[] }) =>
  Object.fromEntries(cart.lines.map((l) => [l.productId, l.quantity]));
