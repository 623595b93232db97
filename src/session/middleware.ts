// Runs after express-session on every request that has a session: gives the
// request its ShopSession, opens a new session's timeline, and ends a login that has
// timed out.
import type { NextFunction, Request, Response } from 'express';
import { regenerateSession } from './lifecycle.js';
import { type SignedOutReason, sessionMessages } from './messages.js';
import { UNKNOWN_CART_OWNER } from './sign-in.js';
import { type SessionPolicy, ShopSession } from './state.js';

export type AuthPolicy = {
  idleMs: number;
  absoluteMs: number;
  /** lastSeenAt moves only by this much at a time: not a session write per request. */
  seenGranularityMs: number;
};

export function attachShopSession(policy: SessionPolicy, auth: AuthPolicy, now: () => number = Date.now) {
  return function shopSession(req: Request, _res: Response, next: NextFunction): void {
    req.shopSession = new ShopSession(req, policy);
    // Stored at once anyway: the timeline may say so. Otherwise `created` waits for the
    // first thing stored, or this very write would store every visitor (ShopSession.begin).
    if (policy.saveUninitialized) req.shopSession.begin('first request: saveUninitialized stores every new session');
    const expired = staleLogin(req.shopSession, auth, now());
    if (expired !== undefined) endStaleLogin(req, expired);
    next();
  };
}

/** Why the session's login has run out (idle or too old), or undefined if it has not. */
function staleLogin(session: ShopSession, auth: AuthPolicy, now: number): SignedOutReason | undefined {
  const user = session.user;
  if (user === undefined) return undefined;
  if (now - user.lastSeenAt > auth.idleMs) return 'idle';
  if (now - user.authenticatedAt > auth.absoluteMs) return 'absolute';
  session.seen(now, auth.seenGranularityMs);
  return undefined;
}

/**
 * Logged in for too long, or idle for too long: the shopper becomes a guest
 * again under a new session ID, keeping the cart and preferences.
 */
function endStaleLogin(req: Request, reason: SignedOutReason): void {
  const carried = req.shopSession.carryOver();
  regenerateSession(req);
  const fresh = req.shopSession;
  // The next person at this browser may read this session (the inspector), so nothing
  // in it may say who was here: the member's timeline stays behind, and the kept cart's
  // owner is only the opaque tag set at sign-in, which lets the same member's next
  // login take the cart back without adding it to itself, and no one else's take it.
  fresh.restore({ ...carried, timeline: [], cartOwner: carried.cartOwner ?? UNKNOWN_CART_OWNER });
  fresh.record('auth.expired', { reason });
  fresh.flash('info', sessionMessages.signedOut[reason]);
}
