// session/store/commit.ts mounted in a bare app, with the shop's own session middleware and
// store: each case is one handler, so the answer's status, its headers, the lock and a
// regeneration can be set exactly. What a shopper sees through the real shop is in
// commit.test.ts.
import express, { type Request, type Response } from 'express';
import type { Store } from 'express-session';
import request from 'supertest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { regenerateSession } from '../../src/session/lifecycle.js';
import { createSessionStore, sessionMiddleware } from '../../src/session/setup.js';
import { saveBeforeAnswering } from '../../src/session/store/commit.js';
import { type LockHandle, SessionLockLostError } from '../../src/session/store/lock.js';
import { sessionIdFromCookie } from '../../src/session/store/session-id.js';
import { undoIfRefused } from '../../src/session/take-back.js';
import { recordingLogger } from '../helpers/log.js';
import { sessionCookie, TEST_SECRET } from '../helpers/shop.js';

const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: TEST_SECRET });
const keys = { cookieName: config.session.cookieName, secrets: config.session.secrets };

/** The session as a plain record: these handlers keep their own keys in it. */
const bag = (req: Request) => req.session as unknown as Record<string, unknown>;
/** What the session holds besides its cookie, as a handler or the refusal sees it. */
const held = (req: Request) => {
  const { cookie: _cookie, ...rest } = bag(req);
  return rest;
};

type Harness = {
  app: express.Express;
  store: Store;
  /** Every refusal commit.ts asked for, with what the session held when it was asked. */
  refusals: { err: unknown; held: Record<string, unknown> }[];
  /** The lock the next requests hold, if any. */
  lock?: LockHandle;
  /** When set, the refusal itself fails (the error page could not be rendered). */
  refusalFails?: boolean;
  log: ReturnType<typeof recordingLogger>;
  /** False: requests have no logger (an app without the access log). */
  logged: boolean;
  /** What the store really did (get, set, touch, destroy), in order: a call it skips is not here. */
  operations: string[];
};

function harness(): Harness {
  const operations: string[] = [];
  const { store } = createSessionStore(config, { observe: (operation) => operations.push(operation) });
  const app = express();
  const h: Harness = { app, store, refusals: [], log: recordingLogger(), logged: true, operations };
  app.use(express.json());
  app.use((req, _res, next) => {
    if (h.logged) req.log = h.log.logger;
    next();
  });
  app.use(sessionMiddleware(config, store));
  const refuse = (err: unknown, req: Request, res: Response) => {
    h.refusals.push({ err, held: held(req) });
    if (h.refusalFails) throw new Error('the error page broke');
    res.status(503).end();
  };
  app.use(saveBeforeAnswering(refuse, keys));
  app.use((req, _res, next) => {
    if (h.lock) req.sessionLock = h.lock;
    next();
  });
  app.get('/note', (req, res) => {
    res.json(held(req));
  });
  app.post('/note', (req, res) => {
    Object.assign(bag(req), req.body);
    res.json(held(req));
  });
  return h;
}

/** A lock handle whose confirm() answers `ours`, counting how often it is asked. */
function lockHandle(ours: boolean, fenced = false) {
  const handle = {
    asked: 0,
    confirm: async () => {
      handle.asked++;
      return ours;
    },
    release: async () => {},
    abandon: () => {},
    ...(fenced ? { writeFenced: async () => ours } : {}),
  };
  return handle;
}

/** What the store holds for `sid`; undefined when it holds nothing. */
const stored = (store: Store, sid: string) =>
  new Promise<unknown>((resolve, reject) =>
    store.get(sid, (err, data) => (err ? reject(err) : resolve(data ?? undefined))),
  );

const idOf = (res: { headers: Record<string, unknown> }) =>
  sessionIdFromCookie(`${keys.cookieName}=${sessionCookie(res, keys.cookieName) ?? ''}`, keys.cookieName, keys.secrets);

const expiresOf = (res: { headers: Record<string, unknown> }) =>
  Date.parse(/Expires=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1] ?? '');

/** A shopper whose session holds `{ note: 'first' }`, stored. */
async function shopperWithNote(h: Harness) {
  const agent = request.agent(h.app);
  const first = await agent.post('/note').send({ note: 'first' }).expect(200);
  const sid = idOf(first);
  if (sid === undefined) throw new Error('no session cookie');
  return { agent, sid };
}

let h: Harness;
beforeEach(() => {
  h = harness();
});

describe('an answer of 500 or more', () => {
  it.each([500, 503])('(%i) stores none of the changes its handler made to the session', async (status) => {
    const { agent } = await shopperWithNote(h);
    h.app.post('/broken', (req, res) => {
      bag(req).note = 'second';
      bag(req).extra = 'added';
      res.status(status).send('broken');
    });
    await agent.post('/broken').expect(status);
    expect((await agent.get('/note').expect(200)).body).toEqual({ note: 'first' });
  });

  it('stores the change of an answer just under 500', async () => {
    const { agent } = await shopperWithNote(h);
    h.app.post('/gone', (req, res) => {
      bag(req).note = 'second';
      res.status(499).send('client closed');
    });
    await agent.post('/gone').expect(499);
    expect((await agent.get('/note').expect(200)).body).toEqual({ note: 'second' });
  });

  it('undoes the database writes of a request that left its session alone', async () => {
    const { agent } = await shopperWithNote(h);
    const undone: string[] = [];
    h.app.post('/half-written', (req, res) => {
      undoIfRefused(req, async () => void undone.push('saved cart'));
      res.status(500).send('broken');
    });
    await agent.post('/half-written').expect(500);
    expect(undone).toEqual(['saved cart']);
  });

  it('gives no cookie to a session made for the failed request itself', async () => {
    h.app.post('/broken', (_req, res) => void res.status(500).send('broken'));
    const failed = await request(h.app).post('/broken').expect(500);
    expect(failed.headers['set-cookie']).toBeUndefined();
  });

  it('keeps the cookie of a session the request carried, and stores nothing for it', async () => {
    const { agent, sid } = await shopperWithNote(h);
    const before = await stored(h.store, sid);
    h.app.post('/broken', (_req, res) => void res.status(500).send('broken'));
    const failed = await agent.post('/broken').expect(500);
    expect(idOf(failed)).toBe(sid);
    expect(await stored(h.store, sid)).toEqual(before);
  });

  it('puts back a session a login regenerated, so the new ID is never sent, and the old one keeps its lifetime', async () => {
    const { agent, sid } = await shopperWithNote(h);
    h.app.post('/login-broken', (req, res) => {
      regenerateSession(req);
      bag(req).note = 'member';
      req.session.cookie.maxAge = 60_000;
      res.status(500).send('broken');
    });
    const failed = await agent.post('/login-broken').expect(500);
    expect(idOf(failed)).toBe(sid);
    expect(expiresOf(failed) - Date.now()).toBeGreaterThan(10 * 60_000); // not the minute just set
    expect((await agent.get('/note').expect(200)).body).toEqual({ note: 'first' });
  });
});

describe('a refused session write', () => {
  it('refuses with the store’s error and shows the refusal the session as it was loaded', async () => {
    const { agent } = await shopperWithNote(h);
    const refusal = new Error('store is full');
    const set = h.store.set.bind(h.store);
    h.store.set = (_sid, _data, callback) => {
      h.store.set = set;
      callback?.(refusal);
    };
    await agent.post('/note').send({ note: 'second', extra: 'added' }).expect(503);
    expect(h.refusals).toEqual([{ err: refusal, held: { note: 'first' } }]);
    expect((await agent.get('/note').expect(200)).body).toEqual({ note: 'first' });
  });

  it('sends none of the headers of the answer it replaces', async () => {
    const { agent } = await shopperWithNote(h);
    h.store.set = (_sid, _data, callback) => callback?.(new Error('refused'));
    h.app.post('/moved', (req, res) => {
      bag(req).note = 'second';
      res.set({ ETag: '"v2"', Location: '/elsewhere', 'X-Kept': 'yes' });
      res.type('text/plain').send('a body the refusal replaces');
    });
    const refused = await agent.post('/moved').expect(503);
    expect(refused.headers).not.toHaveProperty('etag');
    expect(refused.headers).not.toHaveProperty('location');
    expect(refused.headers).not.toHaveProperty('content-type');
    expect(refused.headers['content-length'] ?? '0').toBe('0');
    expect(refused.headers['x-kept']).toBe('yes');
    expect(refused.text).toBe('');
  });

  it('logs a refusal that itself fails, and cuts the connection instead of answering', async () => {
    const { agent } = await shopperWithNote(h);
    h.store.set = (_sid, _data, callback) => callback?.(new Error('refused'));
    h.refusalFails = true;
    await expect(agent.post('/note').send({ note: 'second' })).rejects.toThrow(/socket hang up|ECONNRESET/);
    await expect
      .poll(() => h.log.lines.find((l) => l.msg === 'the answer could not be sent after the session write'))
      .toMatchObject({ err: { message: 'the error page broke' } });
  });

  it('cuts the connection all the same in an app that does not log', async () => {
    const { agent } = await shopperWithNote(h);
    h.store.set = (_sid, _data, callback) => callback?.(new Error('refused'));
    h.refusalFails = true;
    h.logged = false;
    await expect(agent.post('/note').send({ note: 'second' })).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});

describe('a changed session', () => {
  it('is written once, with no touch after it, even when its stored copy is minutes old', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { agent } = await shopperWithNote(h);
      vi.setSystemTime(Date.now() + 5 * 60_000); // the renewed expiry is now well past the stored one
      h.operations.length = 0;
      await agent.post('/note').send({ note: 'second' }).expect(200);
      expect(h.operations).toEqual(['get', 'set']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('destroys no session when the request did not regenerate its own', async () => {
    const { agent } = await shopperWithNote(h);
    h.operations.length = 0;
    await agent.post('/note').send({ note: 'second' }).expect(200);
    expect(h.operations).not.toContain('destroy');
  });
});

describe('the session lock', () => {
  it('is confirmed before the write, and a lost one refuses the change', async () => {
    const { agent } = await shopperWithNote(h);
    const lost = lockHandle(false);
    h.lock = lost;
    await agent.post('/note').send({ note: 'second' }).expect(503);
    expect(lost.asked).toBe(1);
    expect(h.refusals[0]?.err).toBeInstanceOf(SessionLockLostError);
    h.lock = undefined;
    expect((await agent.get('/note').expect(200)).body).toEqual({ note: 'first' });
  });

  it('is not asked when the write itself checks it (a fenced store)', async () => {
    const { agent } = await shopperWithNote(h);
    const fenced = lockHandle(false, true);
    h.lock = fenced;
    await agent.post('/note').send({ note: 'second' }).expect(200);
    expect(fenced.asked).toBe(0);
  });

  it('is not asked for a request that changes nothing', async () => {
    const { agent } = await shopperWithNote(h);
    const lost = lockHandle(false);
    h.lock = lost;
    await agent.get('/note').expect(200);
    expect(lost.asked).toBe(0);
  });
});

describe('a regenerated session', () => {
  function login(app: express.Express) {
    app.post('/login', (req, res) => {
      regenerateSession(req);
      bag(req).note = 'member';
      res.json(held(req));
    });
  }

  it('replaces the old one only once it is stored: the old ID is destroyed', async () => {
    const { agent, sid } = await shopperWithNote(h);
    login(h.app);
    const signedIn = await agent.post('/login').expect(200);
    const newId = idOf(signedIn);
    expect(newId).not.toBe(sid);
    expect(await stored(h.store, sid)).toBeUndefined();
    expect(await stored(h.store, newId ?? '')).toMatchObject({ note: 'member' });
  });

  it('is refused, and dropped too, when the old one cannot be destroyed', async () => {
    const { agent, sid } = await shopperWithNote(h);
    login(h.app);
    const destroy = h.store.destroy.bind(h.store);
    const written: string[] = [];
    const set = h.store.set.bind(h.store);
    h.store.set = (id, data, callback) => {
      written.push(id);
      set(id, data, callback);
    };
    h.store.destroy = (id, callback) => (id === sid ? callback?.(new Error('cannot destroy')) : destroy(id, callback));
    const refused = await agent.post('/login').expect(503);
    expect(idOf(refused)).toBe(sid);
    expect(written).toHaveLength(1);
    expect(written[0]).not.toBe(sid);
    expect(await stored(h.store, written[0] ?? '')).toBeUndefined();
    expect(await stored(h.store, sid)).toMatchObject({ note: 'first' });
  });
});
