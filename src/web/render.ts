// Renders a page inside the shop's layout. The layout's model (theme, cart badge,
// flash messages, CSRF token, who is logged in) is built here, once, at render time.
import type { Request, Response } from 'express';
import { itemCount } from '../cart/types.js';
import { csrfTokenFor } from './csrf.js';

export type PageModel = { title: string } & Record<string, unknown>;

export function renderPage(req: Request, res: Response, view: string, model: PageModel): void {
  res.render(view, { ...model, shell: shellModel(req) });
}

function shellModel(req: Request) {
  const session = req.shopSession as typeof req.shopSession | undefined;
  if (session === undefined) return { theme: 'light', cartCount: 0, flash: [] };
  const user = session.user;
  return {
    theme: session.prefs.theme,
    cartCount: itemCount(session.cart),
    user: user ? { username: user.username } : undefined,
    csrf: csrfTokenFor(req),
    flash: session.takeFlash(),
    inspector: req.app.locals.inspector === true,
  };
}
