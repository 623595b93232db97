// The HTTP server around the app, building each request and response with the app's
// own prototypes.
//
// Express gives every req and res its methods (req.get, res.json…) by changing their
// prototype on arrival: Object.setPrototypeOf(req, app.request) in app.handle. Then
// the middlewares add a few dozen properties to both, in an order that depends on the
// route (the session, the body, the lock…). Under callgrind, GET /cart spent about
// 40 % of its instructions in V8's inline-cache misses and hidden-class migrations
// (Runtime_StoreIC_Miss, Runtime_LoadIC_Miss, JSObject::MigrateToMap) on those objects:
// that is where the time went, not what this file saves.
//
// Node lets a server name the classes it builds (the IncomingMessage and
// ServerResponse options). Built by the classes below, req and res arrive with the
// app's prototypes, Express's setPrototypeOf changes nothing, and most of those misses
// vanish. Measured, that is about 14 % less CPU per request: B1 (express-session +
// memorystore, one cookie) took 450 µs of CPU per request served by Node's classes
// (#2) and 389 µs served by these (#2c), in the run of 2026-12-07 (docs/performance.md).
// Node's constructors are run on the new object (Reflect.apply), the way
// util.inherits-style subclasses do; building it with Reflect.construct instead
// measured no faster than Node's own classes.
import { createServer, IncomingMessage, type Server, type ServerOptions, ServerResponse } from 'node:http';
import type { Express } from 'express';

/** The two classes Node builds a server's requests and responses with. */
export type NodeClasses = { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse };

type Options = {
  /** Node's classes (a test passes others). */
  node?: NodeClasses;
  /** Told when Node's classes cannot be reused and the server falls back to them as they are. */
  warn?: (message: string) => void;
};

const NODE_CLASSES: NodeClasses = { IncomingMessage, ServerResponse };

export function createHttpServer(app: Express, options: ServerOptions = {}, how: Options = {}): Server {
  const node = how.node ?? NODE_CLASSES;
  const warn = how.warn ?? ((message: string) => process.emitWarning(message, 'SessionShopWarning'));
  if (!isPlainConstructor(node.IncomingMessage) || !isPlainConstructor(node.ServerResponse)) {
    // Reflect.apply cannot run a `class` constructor (it needs `new`): serve with Node's
    // own classes, as plain Express does, only a little slower.
    warn(
      "node:http's IncomingMessage and ServerResponse are no longer plain constructor functions: " +
        'serving with them as they are (Express re-parents each request, about 14 % more CPU per request)',
    );
    return createServer({ ...options, ...node }, app);
  }
  return createServer({ ...options, ...classesOf(app, node) }, app);
}

/**
 * True for a function Reflect.apply can run on an object it did not make: an ES5-style
 * constructor with its own prototype object, as Node's http classes have always been;
 * false for a `class` (callable only with `new`), an arrow or a bound function.
 */
export function isPlainConstructor(fn: unknown): boolean {
  if (typeof fn !== 'function') return false;
  if (/^class\b/.test(Function.prototype.toString.call(fn))) return false;
  const prototype: unknown = fn.prototype;
  return typeof prototype === 'object' && prototype !== null;
}

/**
 * Node's own constructors, run with whatever Node passes them on objects whose
 * prototypes are already the app's.
 */
function classesOf(app: Express, node: NodeClasses) {
  function AppRequest(this: IncomingMessage, ...args: unknown[]) {
    Reflect.apply(node.IncomingMessage, this, args);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: ServerResponse, ...args: unknown[]) {
    Reflect.apply(node.ServerResponse, this, args);
  }
  AppResponse.prototype = app.response;
  return {
    IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
    ServerResponse: AppResponse as unknown as typeof ServerResponse,
  };
}
