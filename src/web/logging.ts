// The access log: one line per request with what an operator needs (id, method,
// url, status, response time) and nothing else. Headers are left out on purpose:
// the request's `cookie` and the response's `set-cookie` carry session IDs, and
// anyone who can read a log line with one can become that shopper.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** Probes hit every few seconds; logging them would drown the requests that matter. */
const UNLOGGED_PATHS = new Set(['/healthz', '/readyz']);

export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    serializers: {
      // pino-http hands these its own summary of the request and response (headers included).
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req: IncomingMessage) => UNLOGGED_PATHS.has(pathOf(req.url)) },
  });
}

function pathOf(url = ''): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
