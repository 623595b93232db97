// Renders a page inside the shop's layout. The layout's model (theme, cart badge,
// flash messages, CSRF token, who is logged in) is built here, once, at render time.
import type { Request, Response } from 'express';
import { csrfTokenFor } from '../http/csrf.js';
import { cartSummaryFor } from '../views/cart-view.js';
import { describePage } from '../views/page-descriptions.js';
import { compactHtml, type PageCache } from './page-cache.js';

/** `description`, for the page's meta description, defaults to the view's own (page-descriptions.ts). */
export type PageModel = { title: string; description?: string } & Record<string, unknown>;

export function renderPage(req: Request, res: Response, view: string, model: PageModel): void {
  res.render(view, { ...model, description: model.description ?? describePage(view), shell: shellModel(req) });
}

/**
 * Like renderPage, through `cache` (web/render/page-cache.ts). `key` names everything that
 * shapes the page but the shell; `model` is built only when the page is not cached.
 * A page with flash messages is rendered as usual: they are for one shopper, once.
 */
export async function renderCachedPage(
  req: Request,
  res: Response,
  cache: PageCache,
  page: { view: string; key: string; model: () => PageModel },
): Promise<void> {
  const shell = shellModel(req);
  const model = () => {
    const built = page.model();
    return { ...built, description: built.description ?? describePage(page.view) };
  };
  // So is a page with the guided tour (development only): its panel is this session's.
  if (shell.flash.length > 0 || res.locals.tour !== undefined) {
    res.type('html').send(compactHtml(await renderToString(res, page.view, { ...model(), shell })));
    return;
  }
  const key = `${page.view}|${page.key}|${shell.theme}|${shell.user ? 'member' : 'guest'}|${shell.inspector}`;
  const holes = {
    csrf: shell.csrf ?? '',
    cartCount: String(shell.cartCount),
    cartLabel: shell.cartLabel,
    username: shell.user?.username ?? '',
  };
  let html = cache.fill(key, holes);
  if (html === undefined) {
    const { markers } = cache;
    const marked = {
      ...shell,
      csrf: markers.csrf,
      cartCount: markers.cartCount,
      cartLabel: markers.cartLabel,
      user: shell.user ? { username: markers.username } : undefined,
    };
    html = cache.store(key, await renderToString(res, page.view, { ...model(), shell: marked }), holes);
  }
  res.type('html').send(html);
}

function renderToString(res: Response, view: string, model: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) =>
    res.render(view, model, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? ''))),
  );
}

function shellModel(req: Request) {
  const session = req.shopSession as typeof req.shopSession | undefined;
  if (session === undefined) return { theme: 'light', cartCount: 0, cartLabel: cartLabel(0), flash: [] };
  const user = session.user;
  const cartCount = cartSummaryFor(req).count;
  return {
    theme: session.prefs.theme,
    cartCount,
    cartLabel: cartLabel(cartCount),
    user: user ? { username: user.username } : undefined,
    csrf: csrfTokenFor(req),
    flash: session.takeFlash(),
    inspector: req.app.locals.inspector === true,
  };
}

const cartLabel = (count: number) => `Cart, ${count} ${count === 1 ? 'item' : 'items'}`;
