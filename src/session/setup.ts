// express-session configured, each option with the reason for its value, plus the
// store it writes to and the session cookie's name and attributes, which logout
// (session/lifecycle.ts) must repeat to clear the cookie.

import { RedisStore } from 'connect-redis';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session, { type Store } from 'express-session';
import createMemoryStore from 'memorystore';
import type { Config } from '../config.js';
import type { Redis } from '../redis.js';
import type { AuthPolicy } from './middleware.js';
import type { SessionPolicy } from './state.js';
import { FencedStore } from './store/fenced-store.js';
import { GuardedStore, type StoreObserver } from './store/guarded-store.js';
import type { RedisSessionLock } from './store/redis-lock.js';
import { requestSessionId } from './store/session-id.js';
import { RecordingStore, StoreLog } from './store/store-log.js';
import { TieredStore } from './store/tiered-store.js';

const MemoryStore = createMemoryStore(session);

export type SessionStoreInfo = { store: Store; name: 'memorystore' | 'redis' };

// The store-call log of each store built while the inspector is on (session/store/store-log.ts).
const logs = new WeakMap<Store, StoreLog>();

/** The log of what requests wrote to `store`; undefined while the inspector is off. */
export const storeLogOf = (store: Store): StoreLog | undefined => logs.get(store);

export type SessionStoreOptions = {
  redis?: Redis;
  /** REDIS_WAIT_REPLICAS: the connection writes that WAIT go through (redis.ts, openWaitingConnection). */
  waiting?: Redis;
  /** The Redis session lock, which hands each session on with its lock (fenced-store.ts). */
  lock?: RedisSessionLock;
  /** Told how long each store call took (metrics.ts). */
  observe?: StoreObserver;
};

/** memorystore by default; Redis when several processes must share sessions. */
export function createSessionStore(config: Config, options: SessionStoreOptions = {}): SessionStoreInfo {
  const { redis, observe } = options;
  const log = config.session.inspector ? new StoreLog() : undefined;
  // Inside the guard: a write the guard skips (session/store/guarded-store.ts) never happened.
  const recorded = (store: Store) => (log ? new RecordingStore(store, log) : store);
  const info = redis ? redisStore(config, redis, recorded, options) : memoryStore(config, recorded, observe);
  if (log) logs.set(info.store, log);
  return info;
}

/** Where connect-redis keeps each session in Redis: this prefix, then the session ID. */
export const SESSION_KEY_PREFIX = 'shop:sess:';

function redisStore(
  config: Config,
  redis: Redis,
  recorded: (s: Store) => Store,
  { lock, waiting, observe }: SessionStoreOptions,
): SessionStoreInfo {
  // TTLs come from each session's cookie.maxAge (see ShopSession.refreshLifetime).
  // Writes under a session lock are checked against it in the same step (fenced-store.ts).
  // Destroys are fenced in time (DESTROY_IN_TIME); with REDIS_WAIT_REPLICAS, unfenced writes
  // and destroys WAIT for the replicas on the second connection, as fenced writes do.
  const { storeMs } = config.timeouts;
  const writes = { client: redis, callTimeoutMs: storeMs, waitReplicas: config.redisWaitReplicas, waiting };
  const inner = new RedisStore({ client: redis, prefix: SESSION_KEY_PREFIX });
  const store = new FencedStore(inner, { known: lock, redis: writes });
  return { store: new GuardedStore(recorded(store), config.timeouts.storeMs, observe), name: 'redis' };
}

function memoryStore(config: Config, recorded: (s: Store) => Store, observe?: StoreObserver): SessionStoreInfo {
  // Two LRU-bounded tiers (see tiered-store.ts): a flood of cookieless clients fills
  // and evicts only the `empty` tier, never a session holding a cart or a user.
  // Without checkPeriod memorystore never drops expired sessions.
  const checkPeriod = 10 * 60_000;
  const tiers = {
    empty: new MemoryStore({ checkPeriod, max: config.session.emptyStoreMax }),
    kept: new MemoryStore({ checkPeriod, max: config.session.storeMax }),
  };
  return { store: new GuardedStore(recorded(new TieredStore(tiers)), undefined, observe), name: 'memorystore' };
}

/** The session cookie's name and attributes: set with these, cleared with the same. */
export function sessionCookie(config: Config) {
  return {
    name: config.session.cookieName, // not the default connect.sid: don't advertise the stack
    options: {
      httpOnly: true, // page scripts cannot read the session ID
      sameSite: 'lax', // not sent on cross-site POSTs: a first line against CSRF
      secure: config.session.secureCookie, // HTTPS only in production (with trust proxy)
      path: '/',
    },
  } as const;
}

export function sessionMiddleware(config: Config, store: Store): RequestHandler {
  const cookie = sessionCookie(config);
  const handler = session({
    store,
    name: cookie.name,
    secret: config.session.secrets, // first signs; the rest still verify (rotation)
    // true: every visitor's session is stored at once. false (a teaching switch): only
    // once something is put in it — a cart line, a login, or a form's CSRF token.
    saveUninitialized: config.session.saveUninitialized,
    resave: false, // write only when the session changed; the lock makes that safe
    rolling: true, // every response renews the cookie: lifetimes are idle timeouts
    unset: 'destroy',
    cookie: { ...cookie.options, maxAge: config.session.emptyTtlMs }, // raised for carts and users, see ShopSession
  });
  const log = storeLogOf(store);
  const trace = log && traceRequest(log, (req) => requestSessionId(req, cookie.name, config.session.secrets));
  return (req, res, next) => {
    let passedOn = false;
    handler(req, res, (err?: unknown) => {
      // With `unset: 'destroy'`, a session that is gone by the end of the response (a
      // logout whose destroy the store refused) is destroyed again inside res.end(), and
      // a failure is reported here a second time, long after the request moved on: the
      // error page is already on its way out, so it is logged, not answered twice.
      if (passedOn) return req.log?.warn({ err }, 'the session store refused a destroy at the end of a response');
      passedOn = true;
      // The store could not read the session (the request is refused with a 503). Without
      // its ID express-session finds nothing to destroy at the end: to `unset: 'destroy'`,
      // a session that never loaded looks like one the request dropped, and the session it
      // failed to read would be deleted (with Redis, as soon as the store answers again).
      if (err && req.session === undefined) (req as { sessionID?: string }).sessionID = undefined;
      if (err || trace === undefined) next(err);
      else trace(req, res, next);
    });
  };
}

/** Notes, once the answer is out, which store writes the request made (inspector only). */
function traceRequest(log: StoreLog, cookieId: (req: Request) => string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    const loadedId = req.sessionID;
    const arrivedNew = cookieId(req) !== loadedId;
    res.once('finish', () => {
      const finalId = req.sessionID;
      const regenerated = finalId !== loadedId;
      const ops = regenerated ? [...log.take(loadedId), ...log.take(finalId)] : log.take(loadedId);
      const at = new Date().toISOString();
      const path = req.originalUrl.split('?')[0] ?? '/';
      log.add(finalId, { at, method: req.method, path, ops, arrivedNew, regenerated });
    });
    next();
  };
}

/** What ShopSession needs from the configuration. */
export function sessionPolicy(config: Config): SessionPolicy {
  return {
    emptyTtlMs: config.session.emptyTtlMs,
    cartTtlMs: config.session.cartTtlMs,
    timeline: config.session.inspector,
    timelineLength: config.session.timelineLength,
    saveUninitialized: config.session.saveUninitialized,
  };
}

export function authPolicy(config: Config): AuthPolicy {
  return {
    idleMs: config.session.authIdleMs,
    absoluteMs: config.session.authAbsoluteMs,
    seenGranularityMs: config.session.authSeenGranularityMs,
  };
}
