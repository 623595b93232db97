// One error type for the whole app and one handler that renders it: an HTML page
// (views/error.hbs) for browsers, { error, issues } for JSON callers.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { CartRefusal } from '../cart/rules.js';
import { asDatabaseUnavailable } from '../db/unavailable.js';
import { SessionBusyError, SessionLockLostError } from '../session/lock.js';
import { UnavailableError } from '../unavailable.js';
import { wantsJson } from './negotiate.js';

export type FieldIssue = { path: string; message: string };

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
  }
}

/** Parses untrusted input; a failure is a 422 whose message names the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HttpError(400, 'Expected a JSON object or a form');
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  const first = issues[0];
  throw new HttpError(422, first ? `${first.path}: ${first.message}` : 'Invalid input', issues);
}

export const notFound: RequestHandler = (req) => {
  throw new HttpError(404, `Nothing here at ${req.path}`);
};

// body-parser's errors carry a `type`; map them to messages a person can act on.
const BODY_ERRORS: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'The request body is not valid JSON'],
  'entity.too.large': [413, 'The request body is too large'],
  'encoding.unsupported': [415, 'Unsupported content encoding'],
  'charset.unsupported': [415, 'Unsupported charset'],
  'parameters.too.many': [413, 'Too many form fields'],
};

/** Stock problems are conflicts with the current state (409); the rest is bad input (422). */
export function refusalStatus(refusal: CartRefusal): number {
  return refusal.reason === 'out-of-stock' || refusal.reason === 'over-stock' ? 409 : 422;
}

/** A dependency that is down or slow: worth retrying in a few seconds, unlike a 500. */
const RETRY_AFTER_SECONDS = 5;

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof UnavailableError) return new HttpError(503, err.message);
  const unavailable = asDatabaseUnavailable(err);
  if (unavailable) return new HttpError(503, unavailable.message);
  if (err instanceof SessionBusyError || err instanceof SessionLockLostError) return new HttpError(503, err.message);
  if (err instanceof CartRefusal) {
    const path = err.reason === 'unknown-product' ? 'productId' : 'quantity';
    return new HttpError(refusalStatus(err), err.message, [{ path, message: err.message }]);
  }
  if (typeof err === 'object' && err !== null) {
    const { type, status, code } = err as { type?: string; status?: number; code?: string };
    const known = type ? BODY_ERRORS[type] : undefined;
    if (known) return new HttpError(known[0], known[1]);
    if (code === 'EBADCSRFTOKEN')
      return new HttpError(403, 'This form has expired. Please reload the page and try again.');
    if (typeof status === 'number' && status >= 400 && status < 500) return new HttpError(status, 'Bad request');
  }
  return new HttpError(500, 'Something went wrong on our side. Please try again.');
}

export const handleErrors: ErrorRequestHandler = (err, req: Request, res, _next) => {
  const httpError = toHttpError(err);
  if (httpError.status >= 500) req.log?.error({ err }, 'request failed');
  if (res.headersSent) return;
  res.status(httpError.status);
  if (httpError.status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
  if (wantsJson(req)) {
    res.json({ error: httpError.message, ...(httpError.issues ? { issues: httpError.issues } : {}) });
  } else {
    res.render('error', { title: titleFor(httpError.status), status: httpError.status, message: httpError.message });
  }
};

function titleFor(status: number): string {
  if (status === 404) return 'Page not found';
  if (status === 403) return 'Not allowed';
  if (status === 429) return 'Too many attempts';
  return status >= 500 ? 'Something went wrong' : 'That did not work';
}
