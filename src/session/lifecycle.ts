// Session lifecycle as promises: regenerate on every change of identity (login,
// logout, auth expiry) so a session ID seen before never grants more later.
import type { CookieOptions, Request, Response } from 'express';
import type { Store } from 'express-session';
import { requestSessionId, shortId } from './store/session-id.js';
import { userChange } from './timeline.js';

/** The store as express-session sets it up: `generate` makes a new, empty session for a request. */
type GeneratingStore = Store & { generate?: (req: Request) => void };

/** The session each regenerated request replaced, by request: destroyed once the new one is stored. */
const replaced = new WeakMap<Request, string>();

/**
 * Gives the request a new, empty session under a new ID. Unlike express-session's
 * regenerate(), the old session is not destroyed yet but only once the new one is
 * stored (session/store/commit.ts): a login refused on its way out leaves the guest's
 * session, cart and cookie exactly as they were.
 */
export function regenerateSession(req: Request): void {
  const store: GeneratingStore = req.sessionStore;
  if (store.generate === undefined) throw new Error('the session store was not set up by express-session');
  if (!replaced.has(req)) replaced.set(req, req.sessionID);
  store.generate(req);
}

/** The ID of the session this request's regeneration replaced, if it regenerated. */
export function replacedSessionId(req: Request): string | undefined {
  return replaced.get(req);
}

/** Destroys a session by ID in the request's store (the one a regeneration replaced). */
export function destroySessionById(req: Request, sid: string): Promise<void> {
  return new Promise((resolve, reject) => req.sessionStore.destroy(sid, (err) => (err ? reject(err) : resolve())));
}

/**
 * Saves now. Every answer already waits for this (session/store/commit.ts), redirects
 * included, so the browser never follows a redirect to a session not yet stored.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}

/** The session cookie as session/setup.ts sets it. */
export type SessionCookie = { name: string; options: CookieOptions };

/**
 * Logging out: the stored session is destroyed, so its ID is worth nothing from now
 * on, and the cookie is cleared — with the attributes it was set with, or browsers
 * keep it. The saved cart waits in the database for the next login.
 * While the inspector keeps a timeline, a new anonymous session starts at once instead
 * of the cookie being cleared: its timeline opens with `logout` and the old ID (the
 * member's own timeline stays behind), and its cookie replaces the old one.
 */
export async function logout(req: Request, res: Response, cookie: SessionCookie): Promise<void> {
  const previous = req.shopSession;
  const keepsTimeline = previous.keepsTimeline;
  const previousId = previous.id;
  const username = previous.user?.username;
  // This very request may have regenerated the session (a login that expired just now):
  // the session it replaced, still stored until a commit deletes it, goes too.
  const replacedId = replacedSessionId(req);
  if (replacedId !== undefined && replacedId !== req.sessionID) await destroySessionById(req, replacedId);
  await destroySession(req);
  const store: GeneratingStore = req.sessionStore;
  if (!keepsTimeline || store.generate === undefined) {
    res.clearCookie(cookie.name, cookie.options);
    return;
  }
  // What regenerate() does, but only once the destroy has succeeded: a refused destroy
  // leaves no half-made session behind to be given a cookie.
  store.generate(req);
  req.shopSession.begin('logout: a new, anonymous session');
  req.shopSession.record('logout', { previousSession: shortId(previousId) }, userChange(username, undefined));
}

/**
 * Forgets the brand-new session express-session made for this request, so it is neither
 * stored nor given a cookie: a request refused before it became anyone's (a flood, a
 * forged form) must not make a session, nor replace the cookie the browser holds. With
 * `unset: 'destroy'` express-session then deletes the ID from the store, which never had it.
 */
export function dropNewSession(req: Request): void {
  const dropped = req as { session?: unknown; shopSession?: unknown };
  dropped.session = undefined;
  dropped.shopSession = undefined; // pages then get the neutral frame (web/render/render.ts)
}

/**
 * True when express-session made this request's session just now: the request carried
 * no valid cookie, or one naming no stored session (gone, evicted, or a pre-login ID).
 * Also true once the request has regenerated its session (an expired login): dropping
 * that one leaves the stored session as it was, to be regenerated on the next request.
 */
export function arrivedWithoutSession(req: Request, cookieName: string, secrets: string[]): boolean {
  return requestSessionId(req, cookieName, secrets) !== req.sessionID;
}
