// The access log: one line per request with what an operator needs (id, method,
// url, status, response time) and nothing else. Headers are left out on purpose:
// the request's `cookie` and the response's `set-cookie` carry session IDs, and
// anyone who can read a log line with one can become that shopper.
//
// One pino call per request, when the answer is done: no child logger is made for a
// request unless something logs through `req.log` (an error, a warning).
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

declare module 'http' {
  interface IncomingMessage {
    /** This process's number for the request, in every line logged about it. */
    id: number;
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

  let lastId = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    req.id = ++lastId;
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
