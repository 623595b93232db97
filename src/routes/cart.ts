// Cart: the shopper's lines live in the session (see session/live-carts.ts).
// Every change goes through the pure rules in src/cart/rules.ts.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { emptyCart } from '../cart/cart.js';
import { cartMessages } from '../cart/messages.js';
import { addItem, CartRefusal, removeItem, setItem } from '../cart/rules.js';
import type { Services } from '../services.js';
import { refusalStatus } from '../web/errors/to-http-error.js';
import { HttpError } from '../web/http/http-error.js';
import { wantsJson } from '../web/http/negotiate.js';
import { safeRedirect } from '../web/http/safe-redirect.js';
import { addQuantitySchema, productIdSchema, quantitySchema } from '../web/input/inputs.js';
import { parseInput } from '../web/input/parse-input.js';
import { renderProductPage } from '../web/render/product-page.js';
import { renderPage } from '../web/render/render.js';
import { cartJson, cartPageModel, refusalMessage } from '../web/views/cart-view.js';

const addBody = z.object({
  productId: productIdSchema,
  quantity: addQuantitySchema.default(1),
  returnTo: z.string().optional(),
});
const setBody = z.object({ quantity: quantitySchema, returnTo: z.string().optional() });
const returnBody = z.object({ returnTo: z.string().optional() });

export function cartRoutes(services: Services) {
  const { carts, catalog, stock, config } = services;
  return Router()
    .get('/cart', showCart)
    .post('/cart/items', addToCart)
    .post('/cart/items/:productId', setQuantity)
    .post('/cart/items/:productId/remove', removeFromCart)
    .post('/cart/clear', clearCart);

  // GET /cart — the cart, priced from the catalog right now
  async function showCart(req: Request, res: Response) {
    await renderCart(req, res);
  }

  async function renderCart(req: Request, res: Response, error?: string) {
    const priced = carts.price(req.shopSession.cart);
    if (wantsJson(req)) {
      res.json({ cart: cartJson(priced) });
      return;
    }
    const levels = await stock.levelsOf(priced.lines.map((l) => l.productId)); // the cart's products only
    const model = cartPageModel(priced, levels, config.cartLimits);
    renderPage(req, res, 'cart', { title: 'Your cart — Session Shop', cart: model, error });
  }

  // POST /cart/items — add a product, or more of it
  async function addToCart(req: Request, res: Response) {
    const { productId, quantity, returnTo } = parseInput(addBody, req.body ?? {});
    try {
      await carts.change(req.shopSession, 'cart.add', { productId, quantity }, (cart, ctx) =>
        addItem(cart, productId, quantity, ctx),
      );
    } catch (err) {
      const product = catalog.findById(productId);
      if (!(err instanceof CartRefusal) || product === undefined) throw err;
      const message = refusalMessage(err, product.name);
      if (wantsJson(req)) throw new HttpError(refusalStatus(err), message, [{ path: 'quantity', message }]);
      res.status(refusalStatus(err));
      return renderProductPage(services, req, res, product, message);
    }
    const name = catalog.findById(productId)?.name ?? 'the product';
    await answer(req, res, safeRedirect(returnTo, '/cart'), cartMessages.added(quantity, name));
  }

  // POST /cart/items/:productId — set the quantity; 0 removes the line
  async function setQuantity(req: Request, res: Response) {
    const productId = parseProductId(req);
    const { quantity, returnTo } = parseInput(setBody, req.body ?? {});
    try {
      await carts.change(req.shopSession, 'cart.set', { productId, quantity }, (cart, ctx) =>
        setItem(cart, productId, quantity, ctx),
      );
    } catch (err) {
      if (!(err instanceof CartRefusal) || wantsJson(req)) throw err;
      res.status(refusalStatus(err));
      return renderCart(req, res, err.message);
    }
    await answer(
      req,
      res,
      safeRedirect(returnTo, '/cart'),
      quantity === 0 ? cartMessages.removed : cartMessages.updated,
    );
  }

  // POST /cart/items/:productId/remove — remove one line (removing a missing line is fine)
  async function removeFromCart(req: Request, res: Response) {
    const productId = parseProductId(req);
    const { returnTo } = parseInput(returnBody, req.body ?? {});
    await carts.change(req.shopSession, 'cart.remove', { productId }, (cart) => removeItem(cart, productId));
    await answer(req, res, safeRedirect(returnTo, '/cart'), cartMessages.removed);
  }

  // POST /cart/clear — empty the cart
  async function clearCart(req: Request, res: Response) {
    const { returnTo } = parseInput(returnBody, req.body ?? {});
    await carts.change(req.shopSession, 'cart.clear', {}, () => emptyCart());
    await answer(req, res, safeRedirect(returnTo, '/cart'), cartMessages.emptied);
  }

  /** JSON callers get the new cart; browsers a flash message and a redirect (Post/Redirect/Get). */
  async function answer(req: Request, res: Response, redirectTo: string, message: string) {
    if (wantsJson(req)) {
      res.json({ cart: cartJson(carts.price(req.shopSession.cart)) });
      return;
    }
    req.shopSession.flash('success', message);
    res.redirect(303, redirectTo);
  }
}

const productIdParam = z.object({ productId: productIdSchema });

function parseProductId(req: Request): string {
  return parseInput(productIdParam, { productId: req.params.productId }).productId;
}
