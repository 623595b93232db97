// The shopper's live cart, as routes use it: read from the session, priced from the
// catalog, changed only through the pure rules in src/cart/, and written through to the
// saved cart in the database while a shopper is logged in. It lives here, not in
// src/cart/, because it works on a ShopSession: src/cart/ stays plain data and rules
// that know nothing of sessions (see docs/architecture.md).

import type { SavedCartRepository } from '../accounts/saved-carts.js';
import type { Availability, Cart, CartLimits } from '../cart/cart.js';
import { type PricedCart, priceCart } from '../cart/pricing.js';
import type { RuleContext } from '../cart/rules.js';
import type { Catalog } from '../catalog/catalog.js';
import { availabilityFrom, availabilityOf, type StockRepository } from '../catalog/stock.js';
import type { MergedCarts, ShopSession } from './state.js';

export class LiveCarts {
  constructor(
    private readonly catalog: Catalog,
    private readonly stock: StockRepository,
    private readonly savedCarts: SavedCartRepository,
    readonly limits: CartLimits,
  ) {}

  price(cart: Cart): PricedCart {
    return priceCart(cart, (id) => this.catalog.findById(id));
  }

  /** Whether these products exist and how many are left, read now: only theirs, whatever the catalog's size. */
  async availability(productIds: readonly string[]): Promise<Availability> {
    return availabilityFrom(this.catalog, await this.stock.levelsOf(productIds));
  }

  /**
   * Applies one rule to the session's cart. A rule that refuses (CartRefusal)
   * throws before anything is stored, so a refused request changes nothing.
   * `detail` goes on the timeline; its productId names the one product whose stock
   * the rule may ask about, read fresh (a removal or a clear reads none).
   */
  async change(
    session: ShopSession,
    event: string,
    detail: { productId?: string } & Record<string, unknown>,
    rule: (cart: Cart, ctx: RuleContext) => Cart,
  ): Promise<Cart> {
    const levels = new Map<string, number>();
    if (detail.productId !== undefined) levels.set(detail.productId, await this.stock.levelOf(detail.productId));
    const next = rule(session.cart, { limits: this.limits, availability: availabilityOf(this.catalog, levels) });
    await this.saveThrough(session, next, session.cart);
    session.setCart(next, event, detail);
    return next;
  }

  /**
   * Replaces the cart wholesale (login merge, checkout, stock adjustment). `merged`: for a
   * login, the two carts merged; its saved cart is what the account held before, as the
   * session's cart is not its copy yet.
   */
  async replace(
    session: ShopSession,
    cart: Cart,
    event: string,
    detail?: Record<string, unknown>,
    merged?: MergedCarts,
  ): Promise<void> {
    await this.saveThrough(session, cart, merged?.saved ?? session.cart);
    session.setCart(cart, event, detail, merged);
  }

  /**
   * A member's cart is written through to their saved cart, and put back should the
   * request be refused after all (session/take-back.ts): a change the shopper was told
   * failed must not turn up at their next login.
   */
  private async saveThrough(session: ShopSession, cart: Cart, savedBefore: Cart): Promise<void> {
    const user = session.user;
    if (user === undefined) return;
    await this.savedCarts.save(user.id, cart);
    session.undoIfRefused(() => this.savedCarts.putBack(user.id, cart, savedBefore));
  }
}
