// Checkout (the order pages are in routes/orders.ts). Placing an order is idempotent (a one-time token kept in
// the session) and stock-safe (one transaction, see orders/orders.ts).
import { randomUUID } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Cart } from '../cart/cart.js';
import { FREE_SHIPPING_FROM_CENTS, SHIPPING_CENTS, totalsFor } from '../cart/shipping.js';
import { CONTACT_FIELDS, CONTACT_LABELS, contactSchema } from '../orders/contact.js';
import { orderMessages } from '../orders/messages.js';
import { type Order, OutOfStockError } from '../orders/orders.js';
import type { Services } from '../services.js';
import type { ShopSession } from '../session/state.js';
import { HttpError } from '../web/http/http-error.js';
import { wantsJson } from '../web/http/negotiate.js';
import { type FieldError, invalidInput, validate } from '../web/input/validate.js';
import { renderPage } from '../web/render/render.js';
import { cartJson } from '../web/views/cart-view.js';
import {
  canSeeOrder,
  errorSummary,
  formValues,
  orderJson,
  placedModel,
  withdrawnNotice,
} from '../web/views/order-view.js';

const checkoutForm = contactSchema.extend({
  checkoutToken: z
    .string({ error: 'is missing: open the checkout page first' })
    .min(1, { error: 'is missing: open the checkout page first' })
    .max(100, { error: 'is not valid: open the checkout page again' }),
});
const LABELS = { ...CONTACT_LABELS, checkoutToken: 'Checkout form' };

export function checkoutRoutes(services: Services) {
  const { carts, orders, catalog } = services;
  return Router().get('/checkout', showCheckout).post('/checkout', placeOrder);

  // GET /checkout — the cart priced now, the form, shipping and total
  async function showCheckout(req: Request, res: Response) {
    const session = req.shopSession;
    // Back from a refused post (post/redirect/get): its values and errors, this once.
    const refused = session.takeCheckoutForm();
    // Lines whose product has left the catalog are not priced: a cart of only those has nothing to buy.
    if (carts.price(session.cart).lines.length === 0) return refuseEmpty(req, res);
    if (refused) return renderCheckout(req, res, refused.values, refused.errors);
    await renderCheckout(req, res, await prefill(session));
  }

  // POST /checkout — place the order, once
  async function placeOrder(req: Request, res: Response) {
    const session = req.shopSession;
    const body: unknown = req.body ?? {};
    const result = validate(checkoutForm, body, LABELS);
    if (!result.ok) {
      if (wantsJson(req) || !isRecord(body)) throw invalidInput(result.errors);
      // Back to the form by GET, so the browser's Back never offers to resubmit it.
      session.keepCheckoutForm({ values: formValues(body, CONTACT_FIELDS), errors: result.errors });
      return res.redirect(303, '/checkout');
    }
    const form = result.data;

    // A replay of a token already used: show the order it placed.
    if (form.checkoutToken !== session.checkoutToken) {
      const placed = await orders.findByToken(form.checkoutToken);
      if (placed && canSeeOrder(session, placed)) return showPlaced(req, res, placed, 200);
      throw new HttpError(409, orderMessages.formOutOfDate);
    }
    const priced = carts.price(session.cart);
    if (priced.lines.length === 0) return refuseEmpty(req, res);

    const { checkoutToken, ...contact } = form;
    const userId = session.user?.id ?? null;
    const lines = priced.lines.map(({ productId, name, unitPriceCents, quantity }) => ({
      productId,
      name,
      unitPriceCents,
      quantity,
    }));
    let placed: Order;
    let created: boolean;
    try {
      ({ order: placed, created } = await orders.place({ checkoutToken, userId, contact, lines }));
    } catch (err) {
      if (!(err instanceof OutOfStockError)) throw err;
      return refuseShortage(req, res, err);
    }
    session.checkoutToken = undefined;
    session.lastOrderId = placed.id;
    if (userId === null) session.rememberGuestOrder(placed.id);
    await carts.replace(session, { lines: [] }, 'checkout', { orderId: placed.id, totalCents: placed.totalCents });
    // Not created: another request with this token won the race; this one only shows its order.
    await showPlaced(req, res, placed, created ? 201 : 200);
  }

  async function showPlaced(req: Request, res: Response, order: Order, status: number) {
    if (wantsJson(req)) {
      res.status(status).json({ order: orderJson(order), cart: cartJson(carts.price(req.shopSession.cart)) });
      return;
    }
    res.redirect(303, `/orders/${order.id}?placed=1`);
  }

  /** Nothing to order: an empty cart, or one whose products have all left the catalog. */
  async function refuseEmpty(req: Request, res: Response) {
    const placedId = req.shopSession.lastOrderId;
    // Back from the order's confirmation: the checkout is done, not refused.
    if (placedId !== undefined && !wantsJson(req))
      return renderPage(req, res, 'checkout-placed', placedModel(placedId));
    const withdrawn = req.shopSession.cart.lines.length > 0;
    const message = withdrawn ? orderMessages.nothingSold : orderMessages.cartEmptyAtCheckout;
    if (wantsJson(req)) throw new HttpError(409, withdrawn ? message : orderMessages.cartEmpty);
    req.shopSession.flash(withdrawn ? 'warning' : 'info', message);
    res.redirect(303, '/cart');
  }

  /** Stock ran out meanwhile: nothing was ordered; the cart shrinks to what is left and says so. */
  async function refuseShortage(req: Request, res: Response, err: OutOfStockError) {
    const session = req.shopSession;
    const available = new Map(err.shortages.map((s) => [s.productId, s.available]));
    const lines: Cart['lines'] = session.cart.lines
      .map((l) => ({
        productId: l.productId,
        quantity: Math.min(l.quantity, available.get(l.productId) ?? l.quantity),
      }))
      .filter((l) => l.quantity > 0);
    await carts.replace(session, { lines }, 'cart.adjusted', { shortages: err.shortages });
    const message = orderMessages.stockChanged(
      err.shortages.map((s) => ({ name: catalog.findById(s.productId)?.name ?? s.productId, available: s.available })),
    );
    if (wantsJson(req)) {
      res.status(409).json({ error: message, shortages: err.shortages, cart: cartJson(carts.price(session.cart)) });
      return;
    }
    session.flash('warning', message);
    res.redirect(303, '/cart');
  }

  async function renderCheckout(
    req: Request,
    res: Response,
    values: Record<string, unknown>,
    errors: FieldError[] = [],
  ) {
    const session = req.shopSession;
    // Also when a form posted without one comes back with errors: the corrected form must work.
    session.checkoutToken ??= randomUUID();
    const priced = carts.price(session.cart);
    const totals = totalsFor(priced.subtotalCents);
    if (wantsJson(req)) {
      res.json({ cart: cartJson(priced), ...totals, checkoutToken: session.checkoutToken });
      return;
    }
    const unlisted = session.cart.lines.length - priced.lines.length;
    renderPage(req, res, 'checkout', {
      // "Error:" first, so a screen reader hears at once that the form came back.
      title: `${errors.length > 0 ? 'Error: ' : ''}Checkout — Session Shop`,
      cart: priced,
      withdrawn: unlisted > 0 ? withdrawnNotice(unlisted) : undefined,
      totals,
      freeShippingFrom: FREE_SHIPPING_FROM_CENTS,
      shippingRate: SHIPPING_CENTS,
      values,
      ...errorSummary(errors, CONTACT_FIELDS),
      checkoutToken: session.checkoutToken,
    });
  }

  /** A member's details from their last order, so returning shoppers type less. */
  async function prefill(session: ShopSession): Promise<Record<string, unknown>> {
    const user = session.user;
    if (!user) return {};
    const last = await orders.lastContactForUser(user.id);
    return last ? { ...last } : { name: user.username };
  }
}

function isRecord(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}
