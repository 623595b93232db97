// The store as src/server.ts starts it, but already holding BENCH_HELD_SESSIONS other
// shoppers' sessions when it starts listening: the memorystore "sessions held" rows of
// the growth section (growth.ts). Each is a copy of a real session (three cart lines)
// that the app itself made on a first, private request, written under a new ID through
// the app's own session store, so it sits in the same tier and LRU a real cart would.
// Run from the bench's build (build.ts puts it beside dist/); reads what the store reads.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { SessionData, Store } from 'express-session';
import { pino } from 'pino';
import { fillCart, newSession } from './shopper.js';

const dist = (file: string) => new URL(`./dist/${file}`, import.meta.url).href;
const { loadConfig } = (await import(dist('config.js'))) as typeof import('../../src/config.js');
const { Catalog } = (await import(dist('catalog/catalog.js'))) as typeof import('../../src/catalog/catalog.js');
const { createServices } = (await import(dist('services.js'))) as typeof import('../../src/services.js');
const { createApp } = (await import(dist('app.js'))) as typeof import('../../src/app.js');
const { openDatabase } = (await import(dist('db/connect.js'))) as typeof import('../../src/db/connect.js');
const { listen } = (await import(dist('startup.js'))) as typeof import('../../src/startup.js');
const { createHttpServer } = (await import(
  dist('web/http/http-server.js')
)) as typeof import('../../src/web/http/http-server.js');
const { promised } = (await import(
  dist('session/store/callback.js')
)) as typeof import('../../src/session/store/callback.js');
const { sessionIdFromCookie } = (await import(
  dist('session/store/session-id.js')
)) as typeof import('../../src/session/store/session-id.js');

const held = Number(process.env.BENCH_HELD_SESSIONS ?? 0);
const config = loadConfig();
// As src/server.ts logs: batched writes to stdout, which the bench sends to /dev/null.
const logger = pino(
  { level: config.logLevel },
  pino.destination({ sync: false, minLength: 4096, periodicFlush: 1000 }),
);
const db = await openDatabase(config.databaseUrl, { timeoutMs: config.timeouts.databaseMs });
const services = await createServices(config, new Catalog(), db);
const app = createApp(services, logger);
const store: Store = services.sessionStore;

/** A session the app made and stored for a shopper who put three products in the cart. */
async function realSession(): Promise<{ sid: string; data: SessionData }> {
  const probe = createHttpServer(app);
  await listen(probe, 0, '127.0.0.1');
  try {
    const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    const cookie = await newSession(url, '/cart');
    await fillCart(url, cookie);
    const sid = sessionIdFromCookie(cookie, config.session.cookieName, config.session.secrets);
    const data = sid === undefined ? undefined : await promised<SessionData | null>((done) => store.get(sid, done));
    if (sid === undefined || !data) throw new Error('the first session was not stored');
    return { sid, data };
  } finally {
    probe.closeAllConnections();
    probe.close();
  }
}

if (held > 0) {
  const { sid, data } = await realSession();
  for (let i = 0; i < held; i++) {
    // A fresh ID and CSRF token each, as every shopper has: no two stored strings alike.
    const copy: SessionData = { ...data, csrfToken: randomBytes(18).toString('base64url') };
    await promised<void>((done) => store.set(randomBytes(24).toString('base64url'), copy, done));
  }
  await promised<void>((done) => store.destroy(sid, done));
}
const server = createHttpServer(app);
await listen(server, config.port, config.host);
process.once('SIGTERM', () => process.exit(0));
