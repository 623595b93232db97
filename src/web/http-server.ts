// The HTTP server around the app, building each request and response with the app's
// own prototypes.
//
// Express gives every req and res its methods (req.get, res.json…) by changing their
// prototype on arrival: Object.setPrototypeOf(req, app.request) in app.handle. V8
// lays an object out for the prototype it was built with; an object re-parented
// after the fact, and then given a few dozen properties in an order that depends on
// the route (the session, the body, the lock…), sends V8 through hidden-class
// migrations and inline-cache misses on every request. Measured under callgrind on
// GET /cart, that was about 40 % of all the instructions a request ran.
//
// Node lets a server name the classes it builds (the IncomingMessage and
// ServerResponse options). Built here with app.request and app.response as their
// prototypes, req and res arrive as Express wants them, Express's setPrototypeOf
// changes nothing, and every request takes the same path through V8: about 40 % less
// CPU per request (npm run bench, the README's Performance section).
import { createServer, IncomingMessage, type Server, type ServerOptions, ServerResponse } from 'node:http';
import type { Express } from 'express';

export function createHttpServer(app: Express, options: ServerOptions = {}): Server {
  return createServer({ ...options, ...classesOf(app) }, app);
}

/**
 * Node's own constructors, run with whatever Node passes them on objects whose
 * prototypes are already the app's. (Node's http classes are plain constructor
 * functions, made to be extended this way.)
 */
function classesOf(app: Express) {
  function AppRequest(this: IncomingMessage, ...args: unknown[]) {
    Reflect.apply(IncomingMessage, this, args);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: ServerResponse, ...args: unknown[]) {
    Reflect.apply(ServerResponse, this, args);
  }
  AppResponse.prototype = app.response;
  return {
    IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
    ServerResponse: AppResponse as unknown as typeof ServerResponse,
  };
}
