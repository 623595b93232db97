// express-session configured as the README's "The options, against the code"
// section explains it, plus the store it writes to.

import { RedisStore } from 'connect-redis';
import type { RequestHandler } from 'express';
import session, { type Store } from 'express-session';
import createMemoryStore from 'memorystore';
import type { RedisClientType } from 'redis';
import type { Config } from '../config.js';
import { GuardedStore } from './guarded-store.js';
import { TieredStore } from './tiered-store.js';

const MemoryStore = createMemoryStore(session);

export type SessionStoreInfo = { store: Store; name: 'memorystore' | 'redis' };

/** memorystore by default; Redis when several processes must share sessions. */
export function createSessionStore(config: Config, redis?: RedisClientType): SessionStoreInfo {
  if (redis) {
    // TTLs come from each session's cookie.maxAge (see ShopSession.refreshLifetime).
    const store = new RedisStore({ client: redis, prefix: 'shop:sess:' });
    return { store: new GuardedStore(store, config.timeouts.storeMs), name: 'redis' };
  }
  // Two LRU-bounded tiers (see tiered-store.ts): a flood of cookieless clients fills
  // and evicts only the `empty` tier, never a session holding a cart or a user.
  // Without checkPeriod memorystore never drops expired sessions.
  const checkPeriod = 10 * 60_000;
  const tiers = {
    empty: new MemoryStore({ checkPeriod, max: config.session.emptyStoreMax }),
    kept: new MemoryStore({ checkPeriod, max: config.session.storeMax }),
  };
  return { store: new GuardedStore(new TieredStore(tiers)), name: 'memorystore' };
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
