// The one error handler: { error, issues } for JSON callers, views/error.hbs for
// browsers, inside the same frame as every page (the shopper's header, theme and
// cart count) whenever the request has a session, and a neutral frame otherwise.
// The page shows the request's id for the shopper to quote; JSON callers have it in
// the X-Request-Id header (web/http/logging.ts), as on every answer.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { HttpError, RETRY_AFTER_SECONDS } from '../http/http-error.js';
import { wantsJson } from '../http/negotiate.js';
import { renderPage } from '../render/render.js';
import { toHttpError } from './to-http-error.js';

export const notFound: RequestHandler = (req) => {
  throw new HttpError(404, `Nothing here at ${req.path}`);
};

/**
 * Also called by session/store/commit.ts after a refused session save, to answer 503
 * instead: that session is marked committed by then (session/store/guarded-store.ts),
 * so what the frame reads or writes in it (flash, CSRF token) is never stored.
 */
export const handleErrors: ErrorRequestHandler = (err, req: Request, res, _next) => {
  const httpError = toHttpError(err);
  if (httpError.status >= 500) req.log?.error({ err }, 'request failed');
  if (res.headersSent) return;
  res.status(httpError.status);
  if (httpError.status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
  // A limit that set no Retry-After of its own (a full session queue): worth a try in a second.
  if (httpError.status === 429 && !res.hasHeader('Retry-After')) res.set('Retry-After', '1');
  if (wantsJson(req)) {
    res.json({ error: httpError.message, ...(httpError.issues ? { issues: httpError.issues } : {}) });
  } else {
    renderErrorPage(req, res, httpError);
  }
};

function renderErrorPage(req: Request, res: Response, error: HttpError): void {
  const model = { title: titleFor(error.status), status: error.status, message: error.message, requestId: req.id };
  try {
    renderPage(req, res, 'error', model);
  } catch (err) {
    // The frame reads the session, which may be half gone: a store that refused
    // to destroy it at logout leaves req.shopSession with no req.session behind it.
    // The error page must still go out, so it falls back to the neutral frame.
    req.log?.warn({ err }, 'error page rendered without the shopper’s frame');
    renderPage(withoutSession(req), res, 'error', model);
  }
}

/** The request as the frame sees it before a session exists: web/render/render.ts then builds the neutral frame. */
function withoutSession(req: Request): Request {
  return Object.create(req, { shopSession: { value: undefined } });
}

function titleFor(status: number): string {
  if (status === 404) return 'Page not found';
  if (status === 403) return 'Not allowed';
  if (status === 429) return 'Too many attempts';
  return status >= 500 ? 'Something went wrong' : 'That did not work';
}
