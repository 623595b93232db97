// Guards for pages that need a logged-in shopper.
import type { NextFunction, Request, Response } from 'express';
import type { SessionUser } from '../session/data.js';
import { sessionMessages } from '../session/messages.js';
import { HttpError } from './http/http-error.js';
import { wantsJson } from './http/negotiate.js';

/** Browsers are sent to the login page and brought back; JSON callers get a 401. */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.shopSession.user) {
    next();
    return;
  }
  if (wantsJson(req)) throw new HttpError(401, sessionMessages.loginFirst);
  res.redirect(302, `/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
}

/** For handlers behind requireUser. */
export function currentUser(req: Request): SessionUser {
  const user = req.shopSession.user;
  if (user === undefined) throw new HttpError(401, sessionMessages.loginFirst);
  return user;
}
