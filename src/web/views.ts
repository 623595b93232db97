// Handlebars set-up: layouts, partials and the few formatting helpers the
// templates need. Templates hold no logic: handlers pass ready view models.
import { resolve } from 'node:path';
import type { Express } from 'express';
import { engine } from 'express-handlebars';

const root = resolve(import.meta.dirname, '../..');

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Integer cents → "$12.50". The only place money is formatted for people. */
export const formatMoney = (cents: number): string => money.format(cents / 100);

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
      },
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', views);
}

export const publicDir = resolve(root, 'public');
