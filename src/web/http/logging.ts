// The access log: one line per request with what an operator needs (id, method,
// url, status, response time) and nothing else. Headers are left out on purpose:
// the request's `cookie` and the response's `set-cookie` carry session IDs, and
// anyone who can read a log line with one can become that shopper.
//
// One pino call per request, when the answer is done: no child logger is made for a
// request unless something logs through `req.log` (an error, a warning). Every line,
// both kinds, carries the request's id (web/http/request-id.ts), which every answer returns.
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';

declare module 'http' {
  interface IncomingMessage {
    /** The request's id (web/http/request-id.ts): in every line logged about it, and in X-Request-Id. */
    id: string;
    /** A logger whose lines carry the request's id, method and url. */
    log: Logger;
  }
}

/** Probes hit every few seconds; logging them would drown the requests that matter. */
const UNLOGGED_PATHS = new Set(['/healthz', '/readyz']);

export function requestLogger(app: Express, logger: Logger) {
  const bound = new WeakMap<Request, Logger>();
  // On the app's request prototype, so only a request that logs pays for its logger.
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request): Logger {
      let log = bound.get(this);
      if (log === undefined) {
        log = logger.child({ req: summary(this) });
        bound.set(this, log);
      }
      return log;
    },
  });

  return (req: Request, res: Response, next: NextFunction) => {
    req.id = requestIdFrom(req.headers['x-request-id']);
    // Set before anything can answer, so every answer has it: a 429, a CSRF refusal, the
    // drain's 503 (web/http/drain.ts), a probe's answer.
    res.setHeader(REQUEST_ID_HEADER, req.id);
    if (UNLOGGED_PATHS.has(pathOf(req.url))) return next();
    const started = performance.now();
    res.once('close', () => {
      const responseTime = Math.round(performance.now() - started);
      const line = { req: summary(req), res: { statusCode: res.statusCode }, responseTime };
      if (!res.writableFinished) logger.warn(line, 'request aborted');
      else if (res.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    });
    next();
  };
}

function summary(req: Request) {
  return { id: req.id, method: req.method, url: req.originalUrl };
}

function pathOf(url = ''): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
