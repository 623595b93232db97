// Handlebars set-up: layouts, partials and the few formatting helpers the
// templates need. Templates hold no logic: handlers pass ready view models.
import { resolve } from 'node:path';
import type { Express } from 'express';
import { engine } from 'express-handlebars';

const root = resolve(import.meta.dirname, '../../..');

/**
 * Integer cents → "$12.50", "$1,234.00", "-$3.05". The only place money is formatted
 * for people. Written out rather than Intl.NumberFormat, which gives the same text
 * (test/web/views.test.ts) at many times the cost, and a cart JSON formats nine amounts.
 */
export function formatMoney(cents: number): string {
  const whole = Math.abs(Math.round(cents));
  const dollars = String(Math.floor(whole / 100)).replace(THOUSANDS, ',');
  return `${cents < 0 ? '-' : ''}$${dollars}.${String(whole % 100).padStart(2, '0')}`;
}

/** Every place followed by a multiple of three digits: where a thousands comma goes. */
const THOUSANDS = /\B(?=(\d{3})+$)/g;

/**
 * A product name as a page shows it: a number and the word after it ("150 g", "1 L",
 * "8 Cup") joined by a no-break space, so a narrow column never ends a line on "150".
 */
export function productName(name: string): string {
  return name.replace(/(\d) (?=\p{L})/gu, '$1\u00a0');
}

export function configureViews(app: Express): void {
  const views = resolve(root, 'views');
  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: resolve(views, 'layouts'),
      partialsDir: resolve(views, 'partials'),
      helpers: {
        money: (cents: unknown) => (typeof cents === 'number' ? formatMoney(cents) : ''),
        plural: (n: unknown, one: string, many: string) => (n === 1 ? one : many),
        productName: (name: unknown) => (typeof name === 'string' ? productName(name) : ''),
      },
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', views);
}

export const publicDir = resolve(root, 'public');
