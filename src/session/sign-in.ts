// Logging in, step by step. Read everything first — the guest's state, which
// regenerate() wipes, the saved cart and the stock — so a database that fails
// fails the login before anything has changed. Then give the shopper a new session
// ID and merge the guest cart into the saved one. Once the new session is stored the
// old ID is deleted (session/store/commit.ts), so a retried or parallel login with it finds
// an empty guest session and can never merge the cart twice; a login refused on its
// way out puts every write back (session/take-back.ts) and the guest keeps the cart.

import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import type { SavedCartRepository } from '../accounts/saved-carts.js';
import type { User, UserRepository } from '../accounts/users.js';
import { emptyCart } from '../cart/cart.js';
import { type MergeReport, mergeCarts } from '../cart/merge.js';
import type { Config } from '../config.js';
import { regenerateSession } from './lifecycle.js';
import type { LiveCarts } from './live-carts.js';
import type { CarriedState } from './state.js';
import { sameInConstantTime, shortId } from './store/session-id.js';

type Deps = {
  carts: LiveCarts;
  savedCarts: SavedCartRepository;
  users: UserRepository;
  config: { session: Pick<Config['session'], 'secrets'> };
  /** The clock the login timeouts run on (services.ts). */
  now: () => number;
};

/** `newMember`: the account was created just now (a registration), not logged in to again. */
export async function signIn(req: Request, user: User, deps: Deps, newMember = false): Promise<MergeReport> {
  const { carts, savedCarts, users } = deps;
  const secrets = deps.config.session.secrets;
  const guest = guestState(req, user, secrets);
  const previousId = req.shopSession.id;
  // A cart kept from this user's own expired login already is their saved cart, as they left it.
  const ownCart = guest.cartOwner !== undefined && isCartOwner(guest.cartOwner, user.id, secrets);
  const saved = ownCart ? guest.cart : await savedCarts.load(user.id);
  const fromGuest = ownCart ? emptyCart() : guest.cart;
  const inEither = [...new Set([...saved.lines, ...fromGuest.lines].map((l) => l.productId))];
  const { cart, report } = mergeCarts(saved, fromGuest, carts.limits, await carts.availability(inEither));

  regenerateSession(req); // session fixation: a pre-login ID must not become a logged-in one
  const session = req.shopSession;
  const prefs = { ...user.prefs, ...guest.prefs }; // what the guest chose just now wins
  session.restore({ ...guest, cart: emptyCart(), prefs, cartOwner: undefined });
  session.signIn(user, cartOwnerTag(user.id, secrets), deps.now(), newMember);
  session.record('login', {
    username: user.username,
    previousSession: shortId(previousId),
    newSession: shortId(session.id),
  });
  await carts.replace(session, cart, 'cart.merge', report, { guest: fromGuest, saved });
  if (Object.keys(guest.prefs).length > 0) {
    await users.savePrefs(user.id, prefs);
    session.undoIfRefused(() => users.putBackPrefs(user.id, prefs, user.prefs));
  }
  return report;
}

/**
 * What the visitor brings to the login. A session that is already logged in holds
 * no guest cart: its cart is an account's saved cart (written through), so merging
 * it would double it for the same account and hand it, with its preferences, to another.
 */
function guestState(req: Request, user: User, secrets: string[]): CarriedState {
  const carried = req.shopSession.carryOver();
  if (req.shopSession.user) return { ...carried, cart: emptyCart(), prefs: {}, cartOwner: undefined };
  // Kept from another account's expired login: not this shopper's to merge.
  if (carried.cartOwner !== undefined && !isCartOwner(carried.cartOwner, user.id, secrets)) {
    return { ...carried, cart: emptyCart() };
  }
  return carried;
}

/**
 * Whose saved cart a session's cart mirrors, without saying who: after a login
 * expires, the next person at that browser can read the session (the inspector),
 * so it holds an HMAC of the user ID under the first session secret, never the ID.
 */
function cartOwnerTag(userId: string, secrets: string[]): string {
  const [signing] = secrets;
  if (signing === undefined) throw new Error('no session secret to tag the cart owner with');
  return hmac(signing, userId);
}

/** Every secret counts (rotation): a tag made before the first one changed still matches. */
function isCartOwner(tag: string, userId: string, secrets: string[]): boolean {
  return secrets.some((secret) => sameInConstantTime(hmac(secret, userId), tag));
}

/** The prefix keeps a tag from ever equalling a session cookie's signature of the same text. */
const hmac = (secret: string, userId: string) =>
  createHmac('sha256', secret).update(`cart-owner:${userId}`).digest('base64url');

/**
 * For a login that expires without a tag (a session from before tags existed): the
 * kept cart is some account's, so nobody's login merges it; the saved cart is loaded instead.
 */
export const UNKNOWN_CART_OWNER = 'unknown-account';
