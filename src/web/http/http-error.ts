// The one error type a handler throws to answer with a status: the error handler
// (web/errors/error-handler.ts) turns it into a page or { error, issues } for JSON callers.

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

/** Retry-After on a 503: a dependency that is down, or a restart, is worth retrying in a few seconds. */
export const RETRY_AFTER_SECONDS = 5;
