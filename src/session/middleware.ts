// Runs after express-session on every request that has a session: gives the
// request its ShopSession, opens a new session's timeline, and ends a login that has
// timed out.
import type { NextFunction, Request, Response } from 'express';
import { regenerateSession } from './lifecycle.js';
import { UNKNOWN_CART_OWNER } from './sign-in.js';
import { type SessionPolicy, ShopSession } from './state.js';

export type AuthPolicy = {
  idleMs: number;
  absoluteMs: number;
  /** lastSeenAt moves only by this much at a time: not a session write per request. */
  seenGranularityMs: number;
};

export function attachShopSession(policy: SessionPolicy, auth: AuthPolicy, now: () => number = Date.now) {
  return async function shopSession(req: Request, _res: Response, next: NextFunction) {
    req.shopSession = new ShopSession(req, policy);
    // Stored at once anyway: the timeline may say so. Otherwise `created` waits for the
    // first thing stored, or this very write would store every visitor (ShopSession.begin).
    if (policy.saveUninitialized) req.shopSession.begin('first request: saveUninitialized stores every new session');
    await expireStaleLogin(req, auth, now());
    next();
  };
}

/**
 * Logged in for too long, or idle for too long: the shopper becomes a guest
 * again under a new session ID, keeping the cart and preferences.
 */
async function expireStaleLogin(req: Request, auth: AuthPolicy, now: number) {
  const session = req.shopSession;
  const user = session.user;
  if (user === undefined) return;
  const idle = now - user.lastSeenAt > auth.idleMs;
  const tooOld = now - user.authenticatedAt > auth.absoluteMs;
  if (!idle && !tooOld) {
    session.seen(now, auth.seenGranularityMs);
    return;
  }
  const carried = session.carryOver();
  await regenerateSession(req);
  const fresh = req.shopSession;
  // The next person at this browser may read this session (the inspector), so nothing
  // in it may say who was here: the member's timeline stays behind, and the kept cart's
  // owner is only the opaque tag set at sign-in, which lets the same member's next
  // login take the cart back without adding it to itself, and no one else's take it.
  fresh.restore({ ...carried, timeline: [], cartOwner: carried.cartOwner ?? UNKNOWN_CART_OWNER });
  fresh.record('auth.expired', { reason: idle ? 'idle' : 'absolute' });
  fresh.flash('info', 'You were signed out after a while without activity. Your cart is still here.');
}
