// What is measured, in the order it runs and is printed: each scenario names the
// server it runs against, the requests each connection repeats, the sessions it
// carries and the scenario it is compared with (`vs`). #1 and #2 are the baselines
// B0 and B1 every target is read against (goals.ts). 2b, 3b, 4b and 8b separate
// session creation and the per-session lock (every request carrying a cookie takes
// it, GETs included) from the rest; 9–13r came with the performance targets.
// --quick runs only the baselines, the targets' scenarios and the reported flows.
import { productSlugs } from './catalog.js';
import { checkoutCycle } from './checkout-flow.js';
import type { LoadRequest } from './load.js';
import { ACCEPT_JSON, CART_PRODUCTS, JSON_HEADERS, PROXY_HEADERS } from './shopper.js';

/**
 * bare and session: the baselines; session-classes: B1 served by the store's
 * createHttpServer (src/web/http/http-server.ts); store: the store as configured by default;
 * stocked: the store with limits no run can reach (targets.ts); redis: the store on Redis.
 */
export type Target = 'bare' | 'session' | 'session-classes' | 'store' | 'stocked' | 'redis';

export type Scenario = {
  id: string;
  title: string;
  target: Target;
  requests: LoadRequest[];
  /** none: a new session per request; one: a single session shared by every connection; each: one per connection. */
  sessions: 'none' | 'one' | 'each';
  /** The sessions hold a cart of 3 lines. */
  cart: boolean;
  vs?: string;
  /** At most this many requests per connection in one slice (a session may only grow so far). */
  maxPerConnection?: number;
  /** Requests in flight; 50 (CONNECTIONS) unless said otherwise. */
  connections?: number;
  /** Explains other figures rather than feeding a target or a reported flow: skipped by --quick. */
  fullRunOnly?: true;
};

const html = { ...PROXY_HEADERS, accept: 'text/html' };
const getJson = { ...PROXY_HEADERS, ...ACCEPT_JSON };
const postJson = { ...PROXY_HEADERS, ...JSON_HEADERS };
const getPage: LoadRequest[] = [{ method: 'GET', path: '/', headers: html }];
const getCart: LoadRequest[] = [{ method: 'GET', path: '/cart', headers: getJson }];
// Alternating 1 and 2 changes the session on every request, so every request saves it.
const setQuantity: LoadRequest[] = [1, 2].map((quantity) => ({
  method: 'POST',
  path: `/cart/items/${CART_PRODUCTS[0]}`,
  headers: postJson,
  body: JSON.stringify({ quantity }),
}));
// Adding: one more p-001 per request. The line grows by one each time, so the stocked
// store (CART_MAX_PER_LINE=999) and a cap per slice keep it under every limit.
const addOne: LoadRequest[] = [
  {
    method: 'POST',
    path: '/cart/items',
    headers: postJson,
    body: JSON.stringify({ productId: CART_PRODUCTS[0], quantity: 1 }),
  },
];
const ADD_CAP = 900; // + the 1 fillCart put in: 901 ≤ 999
// A shopper browsing: a different product each time, so "recently viewed" changes and
// the session is saved, as on a real product view (one product over and over would
// leave the list unchanged after the first view and skip the save).
const viewProducts: LoadRequest[] = productSlugs(5).map((slug) => ({
  method: 'GET',
  path: `/products/${slug}`,
  headers: html,
}));
// Cookieless: a login regenerates the session, so a cookie would be spent after one
// use anyway. A successful login does not count toward the failed-login limits once
// it has succeeded, but express-rate-limit counts every login while it is in flight
// (skipSuccessfulRequests takes it back when the answer is 2xx): a 6th concurrent
// login of one name from one address answers 429. Hence LOGIN_CONNECTIONS in flight,
// which still keeps both CPUs busy (scrypt runs on libuv's pool of 4 threads).
const LOGIN_CONNECTIONS = 4;
const login: LoadRequest[] = [
  {
    method: 'POST',
    path: '/login',
    headers: postJson,
    body: JSON.stringify({ username: 'ravi', password: 'ravi-demo-pass' }),
  },
];

export const scenarios: Scenario[] = [
  {
    id: '1',
    title: 'B0: bare Express res.send("ok")',
    target: 'bare',
    requests: getPage,
    sessions: 'none',
    cart: false,
  },
  {
    id: '2',
    title: 'B1: express-session + memorystore, 1 cookie',
    target: 'session',
    requests: getPage,
    sessions: 'one',
    cart: false,
    vs: '1',
  },
  {
    id: '2b',
    fullRunOnly: true,
    title: 'express-session + memorystore, no cookie',
    target: 'session',
    requests: getPage,
    sessions: 'none',
    cart: false,
    vs: '2',
  },
  // B1 as #2, served by the store's createHttpServer: how much of the store's lead over
  // #2 comes from building req and res with the app's prototypes, which any Express
  // app could do. Not a target: the targets are ratios to #2 (goals.ts).
  {
    id: '2c',
    fullRunOnly: true,
    title: "B1 served with the store's request classes, 1 cookie",
    target: 'session-classes',
    requests: getPage,
    sessions: 'one',
    cart: false,
    vs: '2',
  },
  {
    id: '3',
    title: 'store GET / catalog HTML, 1 cookie',
    target: 'store',
    requests: getPage,
    sessions: 'one',
    cart: false,
    vs: '2',
  },
  {
    id: '3b',
    fullRunOnly: true,
    title: 'store GET / catalog HTML, 50 cookies',
    target: 'store',
    requests: getPage,
    sessions: 'each',
    cart: false,
    vs: '1',
  },
  {
    id: '4',
    title: 'store GET /cart JSON, 1 cookie',
    target: 'store',
    requests: getCart,
    sessions: 'one',
    cart: true,
    vs: '2',
  },
  {
    id: '4b',
    fullRunOnly: true,
    title: 'store GET /cart JSON, 50 cookies',
    target: 'store',
    requests: getCart,
    sessions: 'each',
    cart: true,
    vs: '2',
  },
  {
    id: '5',
    fullRunOnly: true,
    title: 'store POST /cart/items/p-001 (set qty), 1 cookie',
    target: 'store',
    requests: setQuantity,
    sessions: 'one',
    cart: true,
    vs: '6',
  },
  {
    id: '6',
    fullRunOnly: true,
    title: 'store POST /cart/items/p-001 (set qty), 50 cookies',
    target: 'store',
    requests: setQuantity,
    sessions: 'each',
    cart: true,
    vs: '2',
  },
  // Compared with 3b, not 3: 3 queues all 50 connections on one session's lock.
  {
    id: '7',
    fullRunOnly: true,
    title: 'store GET / catalog HTML, no cookie',
    target: 'store',
    requests: getPage,
    sessions: 'none',
    cart: false,
    vs: '3b',
  },
  {
    id: '8',
    fullRunOnly: true,
    title: 'redis: store GET /cart JSON, 1 cookie',
    target: 'redis',
    requests: getCart,
    sessions: 'one',
    cart: true,
    vs: '4',
  },
  {
    id: '8b',
    fullRunOnly: true,
    title: 'redis: store GET /cart JSON, 50 cookies',
    target: 'redis',
    requests: getCart,
    sessions: 'each',
    cart: true,
    vs: '4b',
  },
  {
    id: '9',
    title: 'store GET /products/<slug> HTML (5 in turn), 1 cookie',
    target: 'store',
    requests: viewProducts,
    sessions: 'one',
    cart: false,
    vs: '2',
  },
  {
    id: '10',
    title: 'stocked: POST /cart/items (add 1), 50 cookies',
    target: 'stocked',
    requests: addOne,
    sessions: 'each',
    cart: true,
    vs: '2',
    maxPerConnection: ADD_CAP,
  },
  {
    id: '11',
    title: `store POST /login JSON (ravi, success), no cookie, ${LOGIN_CONNECTIONS} in flight`,
    target: 'store',
    requests: login,
    sessions: 'none',
    cart: false,
    vs: '2',
    connections: LOGIN_CONNECTIONS,
  },
  {
    id: '12',
    title: 'stocked: add + GET /checkout + POST /checkout, 50 cookies',
    target: 'stocked',
    requests: checkoutCycle,
    sessions: 'each',
    cart: false,
    vs: '2',
  },
  // The contention pair: 50 requests in flight queue on one session's lock, each one
  // saving it. Run back to back in every round so they share the machine's mood:
  // the target compares their p99. 13 repeats #5's requests for exactly that reason.
  {
    id: '13',
    title: 'contention: memorystore, POST set qty, 1 cookie',
    target: 'store',
    requests: setQuantity,
    sessions: 'one',
    cart: true,
    vs: '2',
  },
  {
    id: '13r',
    title: 'contention: redis, POST set qty, 1 cookie',
    target: 'redis',
    requests: setQuantity,
    sessions: 'one',
    cart: true,
    vs: '13',
  },
];
