// Order pages: a member's history, and one order for whoever may see it. The
// checkout routes place the orders these pages show.
import { type Request, type Response, Router } from 'express';
import { orderMessages } from '../orders/messages.js';
import { idFromNumber } from '../orders/order-number.js';
import type { Services } from '../services.js';
import { currentUser, requireUser } from '../web/auth.js';
import { HttpError } from '../web/http/http-error.js';
import { wantsJson } from '../web/http/negotiate.js';
import { renderPage } from '../web/render/render.js';
import { canSeeOrder, orderJson, orderPageModel } from '../web/views/order-view.js';
import { pageOf, paginationModel, urlWithout } from '../web/views/pagination-view.js';

/** Orders on one page of the history: a long history is read a page at a time. */
export const ORDERS_PER_PAGE = 20;

/** Past it a page number is read as this one: past the end the history shows its last page. */
const MAX_PAGE = 100_000;

export function orderRoutes({ orders }: Services) {
  return Router().get('/orders', requireUser, listOrders).get('/orders/:id', showOrder);

  // GET /orders — the logged-in shopper's order history, ORDERS_PER_PAGE at a time (?page=)
  async function listOrders(req: Request, res: Response) {
    const page = pageOf(req.query.page, MAX_PAGE);
    if (page === 'invalid') return res.redirect(302, urlWithout(req, 'page'));
    const history = await orders.pageForUser(currentUser(req).id, page ?? 1, ORDERS_PER_PAGE);
    if (wantsJson(req)) {
      const { total, pageCount } = history;
      res.json({ orders: history.orders.map(orderJson), total, page: history.page, pageCount });
      return;
    }
    renderPage(req, res, 'orders', {
      title: 'Your orders — Session Shop',
      orders: history.orders.map(orderPageModel),
      empty: history.total === 0,
      pagination: paginationModel(history.page, history.pageCount, (n) => `/orders?page=${n}`),
    });
  }

  // GET /orders/:id — one order, for the member who placed it or the guest session that did
  async function showOrder(req: Request, res: Response) {
    // The id as a shopper may type it from the confirmation: "ss-7kq4-m2xd-9tra" finds the order too.
    const order = await orders.find(idFromNumber(String(req.params.id ?? '')));
    // 404, not 403: saying "not yours" would confirm that the order exists.
    if (!order || !canSeeOrder(req.shopSession, order)) throw new HttpError(404, orderMessages.orderNotFound);
    if (wantsJson(req)) {
      res.json({ order: orderJson(order) });
      return;
    }
    const model = orderPageModel(order);
    renderPage(req, res, 'order', {
      title: `Order ${model.number} — Session Shop`,
      order: model,
      placed: req.query.placed !== undefined,
    });
  }
}
