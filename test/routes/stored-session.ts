// For route tests: change what a shopper's stored session holds behind the app's
// back, as a catalog change between two requests would leave it.
import type { SessionData } from 'express-session';
import type request from 'supertest';
import type { Cart } from '../../src/cart/cart.js';
import { json, type Shop, sessionCookie } from '../helpers/shop.js';

/** Writes `cart` into the shopper's stored session, as if the catalog had changed since it was filled. */
export async function storeCart(s: Shop, agent: request.Agent, cart: Cart): Promise<void> {
  const cookie = decodeURIComponent(sessionCookie(await agent.get('/cart').set(json)) ?? '');
  const sid = cookie.slice('s:'.length, cookie.lastIndexOf('.')); // "s:<id>.<signature>"
  const store = s.services.sessionStore;
  const stored = await new Promise<SessionData | null | undefined>((resolve, reject) =>
    store.get(sid, (err, data) => (err ? reject(err) : resolve(data))),
  );
  if (!stored) throw new Error(`no stored session ${sid}`);
  await new Promise<void>((resolve, reject) =>
    store.set(sid, { ...stored, cart }, (err) => (err ? reject(err) : resolve())),
  );
}
