// The body parsers, passed over by requests that carry no body. Most requests are
// GETs; each parser would find that out for itself, one router layer and a few
// checks each, on every page.
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

export function readBody(json: RequestHandler, form: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    // Each parser reads only its own type and passes any other body on untouched.
    json(req, res, (err?: unknown) => (err === undefined ? form(req, res, next) : next(err)));
  };
}

/** The test the parsers themselves make (type-is's hasBody): a Content-Length, even 0, or a chunked body. */
function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));
}
