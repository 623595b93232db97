// Logging in, step by step. Read the guest's state first — regenerate() wipes the
// session — then give the shopper a new session ID and merge the guest cart into
// the saved one. The old ID is deleted from the store, so a retried or parallel
// login with it finds an empty guest session and can never merge the cart twice.

import type { Request } from 'express';
import type { SavedCartRepository } from '../accounts/saved-carts.js';
import type { User, UserRepository } from '../accounts/users.js';
import { type MergeReport, mergeCarts } from '../cart/merge.js';
import { emptyCart } from '../cart/types.js';
import type { CartState } from './cart-state.js';
import { regenerateSession } from './lifecycle.js';
import type { CarriedState } from './state.js';

type Deps = { carts: CartState; savedCarts: SavedCartRepository; users: UserRepository };

export async function signIn(req: Request, user: User, { carts, savedCarts, users }: Deps): Promise<MergeReport> {
  const guest = guestState(req, user);
  const previousId = req.shopSession.id;

  await regenerateSession(req); // session fixation: a pre-login ID must not become a logged-in one
  const session = req.shopSession;
  const prefs = { ...user.prefs, ...guest.prefs }; // what the guest chose just now wins
  session.restore({ ...guest, cart: emptyCart(), prefs, cartOwner: undefined });
  session.signIn(user);
  session.record('login', {
    username: user.username,
    previousSession: shortId(previousId),
    newSession: shortId(session.id),
  });

  // A cart kept from this user's own expired login already is their saved cart, as they left it.
  const ownCart = guest.cartOwner === user.id;
  const saved = ownCart ? guest.cart : await savedCarts.load(user.id);
  const fromGuest = ownCart ? emptyCart() : guest.cart;
  const { cart, report } = mergeCarts(saved, fromGuest, carts.limits, await carts.availability());
  await carts.replace(session, cart, 'cart.merge', report);
  if (Object.keys(guest.prefs).length > 0) await users.savePrefs(user.id, prefs);
  return report;
}

/**
 * What the visitor brings to the login. A session that is already logged in holds
 * no guest cart: its cart is an account's saved cart (written through), so merging
 * it would double it for the same account and hand it, with its preferences, to another.
 */
function guestState(req: Request, user: User): CarriedState {
  const carried = req.shopSession.carryOver();
  if (req.shopSession.user) return { ...carried, cart: emptyCart(), prefs: {} };
  // Kept from another account's expired login: not this shopper's to merge.
  if (carried.cartOwner !== undefined && carried.cartOwner !== user.id) return { ...carried, cart: emptyCart() };
  return carried;
}

/** Enough of a session ID to tell two apart, not enough to use one. */
export const shortId = (id: string): string => `${id.slice(0, 6)}…`;
