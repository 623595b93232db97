// Checkout and orders. Placing an order is idempotent (a one-time token kept in
// the session) and stock-safe (one transaction, see orders/orders.ts).
import { randomUUID } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Cart } from '../cart/types.js';
import { type Order, OutOfStockError } from '../orders/orders.js';
import { FREE_SHIPPING_FROM_CENTS, SHIPPING_CENTS, totalsFor } from '../orders/totals.js';
import type { Services } from '../services.js';
import type { ShopSession } from '../session/state.js';
import { currentUser, requireUser } from '../web/auth.js';
import { cartJson } from '../web/cart-view.js';
import { HttpError } from '../web/http-error.js';
import { wantsJson } from '../web/negotiate.js';
import { orderJson, orderPageModel } from '../web/order-view.js';
import { parseInput } from '../web/parse-input.js';
import { renderPage } from '../web/render.js';

// One message per problem, in words for a shopper: a number or a list (a field sent
// twice) is not "required", and a too-long value must not fall back to "is required".
const text = () => z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') });
const field = (max: number) =>
  text()
    .trim()
    .min(1, { error: 'is required' })
    .max(max, { error: `must be at most ${max} characters` });

const checkoutForm = z.object({
  name: field(100),
  email: field(200).pipe(z.email({ error: 'must be an email address' })),
  address: field(200),
  city: field(100),
  postalCode: field(20),
  country: field(60),
  checkoutToken: z
    .string({ error: 'is missing: open the checkout page first' })
    .min(1, { error: 'is missing: open the checkout page first' })
    .max(100, { error: 'is not valid: open the checkout page again' }),
});
const FIELDS = ['name', 'email', 'address', 'city', 'postalCode', 'country'] as const;

export function checkoutRoutes(services: Services) {
  const { carts, orders, catalog, stock } = services;
  return Router()
    .get('/checkout', showCheckout)
    .post('/checkout', placeOrder)
    .get('/orders', requireUser, listOrders)
    .get('/orders/:id', showOrder);

  // GET /checkout — the cart priced now, the form, shipping and total
  async function showCheckout(req: Request, res: Response) {
    const session = req.shopSession;
    if (session.cart.lines.length === 0) {
      if (wantsJson(req)) throw new HttpError(409, 'Your cart is empty');
      session.flash('info', 'Your cart is empty: add something before checking out.');
      res.redirect(303, '/cart');
      return;
    }
    await renderCheckout(req, res, await prefill(session));
  }

  // POST /checkout — place the order, once
  async function placeOrder(req: Request, res: Response) {
    const session = req.shopSession;
    const body: Record<string, unknown> = req.body ?? {};
    let form: z.infer<typeof checkoutForm>;
    try {
      form = parseInput(checkoutForm, body);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 422 || wantsJson(req)) throw err;
      res.status(422);
      return renderCheckout(req, res, formValues(body), err);
    }

    // A replay of a token already used: show the order it placed.
    if (form.checkoutToken !== session.checkoutToken) {
      const placed = await orders.findByToken(form.checkoutToken);
      if (placed && canSee(session, placed)) return showPlaced(req, res, placed, 200);
      throw new HttpError(409, 'This checkout form is out of date. Please review your cart and try again.');
    }
    const priced = carts.price(session.cart);
    if (priced.lines.length === 0) throw new HttpError(409, 'Your cart is empty');

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
      if (created) stock.invalidate(); // pages show the new levels at once
    } catch (err) {
      if (!(err instanceof OutOfStockError)) throw err;
      return refuseShortage(req, res, err);
    }
    session.checkoutToken = undefined;
    if (userId === null) session.rememberGuestOrder(placed.id);
    await carts.replace(session, { lines: [] }, 'checkout', { orderId: placed.id, totalCents: placed.totalCents });
    // Not created: another request with this token won the race; this one only shows its order.
    await showPlaced(req, res, placed, created ? 201 : 200);
  }

  // GET /orders — the logged-in shopper's order history
  async function listOrders(req: Request, res: Response) {
    const list = await orders.listForUser(currentUser(req).id);
    if (wantsJson(req)) {
      res.json({ orders: list.map(orderJson) });
      return;
    }
    renderPage(req, res, 'orders', {
      title: 'Your orders — Session Shop',
      orders: list.map(orderPageModel),
      empty: list.length === 0,
    });
  }

  // GET /orders/:id — one order, for the member who placed it or the guest session that did
  async function showOrder(req: Request, res: Response) {
    const order = await orders.find(String(req.params.id ?? ''));
    // 404, not 403: saying "not yours" would confirm that the order exists.
    if (!order || !canSee(req.shopSession, order)) throw new HttpError(404, 'We could not find that order.');
    if (wantsJson(req)) {
      res.json({ order: orderJson(order) });
      return;
    }
    renderPage(req, res, 'order', {
      title: `Order ${order.id} — Session Shop`,
      order: orderPageModel(order),
      placed: req.query.placed !== undefined,
    });
  }

  async function showPlaced(req: Request, res: Response, order: Order, status: number) {
    if (wantsJson(req)) {
      res.status(status).json({ order: orderJson(order), cart: cartJson(carts.price(req.shopSession.cart)) });
      return;
    }
    res.redirect(303, `/orders/${order.id}?placed=1`);
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
    const names = err.shortages.map((s) => {
      const name = catalog.findById(s.productId)?.name ?? s.productId;
      return s.available === 0 ? `${name} is sold out` : `${name}: only ${s.available} left`;
    });
    const message = `Some items changed while you were shopping: ${names.join('; ')}. Your cart has been updated; nothing was ordered.`;
    if (wantsJson(req)) {
      res.status(409).json({ error: message, shortages: err.shortages, cart: cartJson(carts.price(session.cart)) });
      return;
    }
    session.flash('warning', message);
    res.redirect(303, '/cart');
  }

  async function renderCheckout(req: Request, res: Response, values: Record<string, unknown>, error?: HttpError) {
    const session = req.shopSession;
    // Also when a form posted without one comes back with errors: the corrected form must work.
    session.checkoutToken ??= randomUUID();
    const priced = carts.price(session.cart);
    const totals = totalsFor(priced.subtotalCents);
    if (wantsJson(req)) {
      res.json({ cart: cartJson(priced), ...totals, checkoutToken: session.checkoutToken });
      return;
    }
    const fieldErrors = Object.fromEntries((error?.issues ?? []).map((i) => [i.path, i.message]));
    renderPage(req, res, 'checkout', {
      title: 'Checkout — Session Shop',
      cart: priced,
      totals,
      freeShippingFrom: FREE_SHIPPING_FROM_CENTS,
      shippingRate: SHIPPING_CENTS,
      values,
      fieldErrors,
      error: error?.message,
      checkoutToken: session.checkoutToken,
    });
  }

  /** A member's details from their last order, so returning shoppers type less. */
  async function prefill(session: ShopSession): Promise<Record<string, unknown>> {
    const user = session.user;
    if (!user) return {};
    const [last] = await orders.listForUser(user.id);
    return last ? { ...last.contact } : { name: user.username };
  }
}

/** What the shopper typed, to show back in the form: text only, never a list or an object. */
function formValues(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    FIELDS.map((name) => {
      const value = body[name];
      return [name, typeof value === 'string' ? value : ''];
    }),
  );
}

function canSee(session: ShopSession, order: Order): boolean {
  const user = session.user;
  if (order.userId !== null) return user?.id === order.userId;
  return session.guestOrderIds.includes(order.id);
}
