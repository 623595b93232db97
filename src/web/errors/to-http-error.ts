// What any thrown value means for the shopper: the status and a message a person
// can act on. Our own HttpError passes through; a dependency that is down is a 503;
// a cart refusal, a body-parser or CSRF failure is a 4xx; anything else is a 500
// whose message says nothing about the cause (that goes to the log only).
import { CartRefusal } from '../../cart/rules.js';
import { asDatabaseUnavailable } from '../../db/unavailable.js';
import { sessionMessages } from '../../session/messages.js';
import { SessionBusyError, SessionLockLostError, SessionQueueFullError } from '../../session/store/lock.js';
import { UnavailableError } from '../../unavailable.js';
import { HttpError } from '../http/http-error.js';

// body-parser's errors carry a `type`; map them to messages a person can act on.
const BODY_ERRORS: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'The request body is not valid JSON'],
  'entity.too.large': [413, 'The request body is too large'],
  'encoding.unsupported': [415, 'Unsupported content encoding'],
  'charset.unsupported': [415, 'Unsupported charset'],
  'parameters.too.many': [413, 'Too many form fields'],
};

/** Conflicts with the current state (409): stock, or a line gone since the page was shown; the rest is bad input (422). */
const CONFLICTS: ReadonlySet<CartRefusal['reason']> = new Set(['out-of-stock', 'over-stock', 'not-in-cart']);

export function refusalStatus(refusal: CartRefusal): number {
  return CONFLICTS.has(refusal.reason) ? 409 : 422;
}

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof UnavailableError) return new HttpError(503, err.message);
  const unavailable = asDatabaseUnavailable(err);
  if (unavailable) return new HttpError(503, unavailable.message);
  if (err instanceof SessionBusyError || err instanceof SessionLockLostError) return new HttpError(503, err.message);
  if (err instanceof SessionQueueFullError) return new HttpError(429, err.message);
  if (err instanceof CartRefusal) {
    const path = err.reason === 'unknown-product' ? 'productId' : 'quantity';
    return new HttpError(refusalStatus(err), err.message, [{ path, message: err.message }]);
  }
  if (typeof err === 'object' && err !== null) {
    const { type, status, code } = err as { type?: string; status?: number; code?: string };
    const known = type ? BODY_ERRORS[type] : undefined;
    if (known) return new HttpError(known[0], known[1]);
    if (code === 'EBADCSRFTOKEN') return new HttpError(403, sessionMessages.formExpired);
    if (typeof status === 'number' && status >= 400 && status < 500) return new HttpError(status, 'Bad request');
  }
  return new HttpError(500, 'Something went wrong on our side. Please try again.');
}
