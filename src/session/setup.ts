// express-session configured as DESIGN.md and the README's "Session options"
// section explain, plus the store it writes to.

import { RedisStore } from 'connect-redis';
import type { RequestHandler } from 'express';
import session, { type Store } from 'express-session';
import createMemoryStore from 'memorystore';
import type { RedisClientType } from 'redis';
import type { Config } from '../config.js';
import { GuardedStore } from './guarded-store.js';

const MemoryStore = createMemoryStore(session);

export type SessionStoreInfo = { store: Store; name: 'memorystore' | 'redis' };

/** memorystore by default; Redis when several processes must share sessions. */
export function createSessionStore(config: Config, redis?: RedisClientType): SessionStoreInfo {
  if (redis) {
    // TTLs come from each session's cookie.maxAge (see ShopSession.refreshLifetime).
    const store = new RedisStore({ client: redis, prefix: 'shop:sess:' });
    return { store: new GuardedStore(store, config.timeouts.storeMs), name: 'redis' };
  }
  return {
    store: new GuardedStore(
      new MemoryStore({
        // Without checkPeriod memorystore never drops expired sessions.
        checkPeriod: 10 * 60_000,
        // An LRU bound: a flood of cookieless clients evicts the oldest sessions
        // instead of exhausting memory.
        max: config.session.storeMax,
      }),
    ),
    name: 'memorystore',
  };
}

export function sessionMiddleware(config: Config, store: Store): RequestHandler {
  return session({
    store,
    name: config.session.cookieName, // not the default connect.sid: don't advertise the stack
    secret: config.session.secrets, // first signs; the rest still verify (rotation)
    saveUninitialized: true, // every visitor gets a session, so a guest can fill a cart
    resave: false, // write only when the session changed; the lock makes that safe
    rolling: true, // every response renews the cookie: lifetimes are idle timeouts
    unset: 'destroy',
    cookie: {
      httpOnly: true, // page scripts cannot read the session ID
      sameSite: 'lax', // not sent on cross-site POSTs: a first line against CSRF
      secure: config.session.secureCookie, // HTTPS only in production (with trust proxy)
      maxAge: config.session.emptyTtlMs, // raised for carts and users, see ShopSession
      path: '/',
    },
  });
}
