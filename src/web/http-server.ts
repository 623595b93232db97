// The HTTP server around the app, building each request and response with the app's
// own prototypes.
//
// Express gives every req and res its methods (req.get, res.json…) by changing their
// prototype on arrival: Object.setPrototypeOf(req, app.request) in app.handle. Then
// the middlewares add a few dozen properties to both, in an order that depends on the
// route (the session, the body, the lock…). Under callgrind, GET /cart spent about
// 40 % of its instructions in V8's inline-cache misses and hidden-class migrations
// (Runtime_StoreIC_Miss, Runtime_LoadIC_Miss, JSObject::MigrateToMap) on those objects.
//
// Node lets a server name the classes it builds (the IncomingMessage and
// ServerResponse options). Built by the classes below, req and res arrive with the
// app's prototypes, Express's setPrototypeOf changes nothing, and those misses all but
// vanish: about 40 % less CPU per request (npm run bench, #2 against #2c, and the
// README's Performance section). Node's constructors are run on the new object
// (Reflect.apply), the way util.inherits-style subclasses do; building it with
// Reflect.construct instead measured no faster than Node's own classes.
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
