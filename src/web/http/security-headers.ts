// helmet's security headers (CSP, HSTS, X-Frame-Options…), worked out once. helmet
// sets the same dozen headers on every response through a dozen small middlewares;
// with this configuration nothing in them depends on the request (no CSP nonce, no
// directive computed per request), so helmet runs once, at start-up, against a
// response that only records, and every request then gets the recorded headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

export function securityHeaders(options: Readonly<HelmetOptions>): RequestHandler {
  if (hasPerRequestDirective(options)) {
    throw new Error('a CSP directive computed per request (a nonce) needs helmet() on every request');
  }
  const { set, removed } = recordHeaders(helmet(options));
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name); // X-Powered-By
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

/** helmet calls a directive given as a function with (req, res) on every request. */
function hasPerRequestDirective(options: Readonly<HelmetOptions>): boolean {
  const csp = options.contentSecurityPolicy;
  if (typeof csp !== 'object' || csp === null || csp.directives === undefined) return false;
  return Object.values(csp.directives).some((value) =>
    [value].flat().some((part: unknown) => typeof part === 'function'),
  );
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

function recordHeaders(middleware: Middleware) {
  const headers = new Map<string, string>();
  const removed = new Set<string>();
  const recorder = {
    setHeader: (name: string, value: string) => headers.set(name, value),
    removeHeader: (name: string) => {
      headers.delete(name);
      removed.add(name);
    },
  };
  let done = false;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (err) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('helmet did not set its headers at once: they cannot be worked out in advance');
  return { set: [...headers], removed: [...removed] };
}
