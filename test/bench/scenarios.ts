// What is measured, in the order it runs and is printed: each scenario names the
// server it runs against, the requests each connection repeats, the sessions it
// carries and the scenario it is compared with (`vs`). Ids follow the brief's list;
// 2b, 3b, 4b and 8b are additions that separate session creation and the per-session
// lock (every request carrying a cookie takes it, GETs included) from the rest.
import type { LoadRequest } from './load.js';
import { ACCEPT_JSON, JSON_HEADERS, PROXY_HEADERS } from './shopper.js';

export type Target = 'bare' | 'session' | 'store' | 'redis';

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
};

const html = { ...PROXY_HEADERS, accept: 'text/html' };
const postJson = { ...PROXY_HEADERS, ...JSON_HEADERS };
const getPage: LoadRequest[] = [{ method: 'GET', path: '/', headers: html }];
const getCart: LoadRequest[] = [{ method: 'GET', path: '/cart', headers: { ...PROXY_HEADERS, ...ACCEPT_JSON } }];
// Alternating 1 and 2 changes the session on every request, so every request saves it.
const setQuantity: LoadRequest[] = [1, 2].map((quantity) => ({
  method: 'POST',
  path: '/cart/items/p-001',
  headers: postJson,
  body: JSON.stringify({ quantity }),
}));

export const scenarios: Scenario[] = [
  { id: '1', title: 'bare Express res.send("ok")', target: 'bare', requests: getPage, sessions: 'none', cart: false },
  {
    id: '2',
    title: 'express-session + memorystore, 1 cookie',
    target: 'session',
    requests: getPage,
    sessions: 'one',
    cart: false,
    vs: '1',
  },
  {
    id: '2b',
    title: 'express-session + memorystore, no cookie',
    target: 'session',
    requests: getPage,
    sessions: 'none',
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
    vs: '1',
  },
  {
    id: '3b',
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
    title: 'store GET /cart JSON, 50 cookies',
    target: 'store',
    requests: getCart,
    sessions: 'each',
    cart: true,
    vs: '2',
  },
  {
    id: '5',
    title: 'store POST /cart/items/p-001, 1 cookie',
    target: 'store',
    requests: setQuantity,
    sessions: 'one',
    cart: true,
    vs: '6',
  },
  {
    id: '6',
    title: 'store POST /cart/items/p-001, 50 cookies',
    target: 'store',
    requests: setQuantity,
    sessions: 'each',
    cart: true,
    vs: '2',
  },
  // Compared with 3b, not 3: 3 queues all 50 connections on one session's lock.
  {
    id: '7',
    title: 'store GET / catalog HTML, no cookie',
    target: 'store',
    requests: getPage,
    sessions: 'none',
    cart: false,
    vs: '3b',
  },
  {
    id: '8',
    title: 'redis: store GET /cart JSON, 1 cookie',
    target: 'redis',
    requests: getCart,
    sessions: 'one',
    cart: true,
    vs: '4',
  },
  {
    id: '8b',
    title: 'redis: store GET /cart JSON, 50 cookies',
    target: 'redis',
    requests: getCart,
    sessions: 'each',
    cart: true,
    vs: '4b',
  },
];
