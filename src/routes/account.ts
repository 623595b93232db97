// The account page, for logged-in shoppers only. /dashboard is an alias: the
// name the classic express-session tutorial uses.
import { type Request, type Response, Router } from 'express';
import { accountMessages } from '../accounts/messages.js';
import type { Services } from '../services.js';
import { currentUser, requireUser } from '../web/auth.js';
import { wantsJson } from '../web/http/negotiate.js';
import { renderPage } from '../web/render/render.js';
import { cartJson } from '../web/views/cart-view.js';

export function accountRoutes({ carts, orders }: Services) {
  return Router().get(['/account', '/dashboard'], requireUser, showAccount);

  // GET /account — "Welcome back, NAME" (or "Welcome, NAME" just after registering) and the saved cart
  async function showAccount(req: Request, res: Response) {
    const { id, username, newMember } = currentUser(req);
    const message = accountMessages.greeting(username, newMember === true);
    const cart = cartJson(carts.price(req.shopSession.cart));
    if (wantsJson(req)) {
      res.json({ user: { username }, message, cart });
      return;
    }
    const orderCount = await orders.countForUser(id);
    renderPage(req, res, 'account', { title: 'Your account — Session Shop', message, cart, orderCount });
  }
}
