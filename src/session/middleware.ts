// Runs after express-session on every request that has a session: gives the
// request its ShopSession, starts new sessions, and ends a login that has timed out.
import type { NextFunction, Request, Response } from 'express';
import { regenerateSession } from './lifecycle.js';
import { type SessionPolicy, ShopSession } from './state.js';

export type AuthPolicy = { idleMs: number; absoluteMs: number };

export function attachShopSession(policy: SessionPolicy, auth: AuthPolicy) {
  return async function shopSession(req: Request, _res: Response, next: NextFunction) {
    req.shopSession = new ShopSession(req, policy);
    if (!req.shopSession.isStarted) {
      req.shopSession.start(Date.now(), req.query.loggedOut ? { after: 'logout' } : undefined);
    }
    await expireStaleLogin(req, auth);
    next();
  };
}

/**
 * Logged in for too long, or idle for too long: the shopper becomes a guest
 * again under a new session ID, keeping the cart and preferences.
 */
async function expireStaleLogin(req: Request, auth: AuthPolicy, now = Date.now()) {
  const session = req.shopSession;
  const user = session.user;
  if (user === undefined) return;
  const idle = now - user.lastSeenAt > auth.idleMs;
  const tooOld = now - user.authenticatedAt > auth.absoluteMs;
  if (!idle && !tooOld) {
    session.seen(now, Math.min(60_000, auth.idleMs / 10));
    return;
  }
  const carried = session.carryOver();
  await regenerateSession(req);
  const fresh = req.shopSession;
  // The kept cart is the account's saved cart: remember whose, so the next login
  // neither adds it to itself nor hands it to another account.
  fresh.restore({ ...carried, cartOwner: user.id }, now);
  fresh.record('auth.expired', { username: user.username, reason: idle ? 'idle' : 'absolute' });
  fresh.flash('info', 'You were signed out after a while without activity. Your cart is still here.');
}
