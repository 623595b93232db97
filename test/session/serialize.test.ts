// The session lock as the app mounts it: keyed by the session ID however the cookie
// is spelled, held until the session is written whatever the client does, and
// taken only once the request body has arrived.
import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import signature from 'cookie-signature';
import type { Request, Response } from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalSessionLock, SessionBusyError, SessionQueueFullError } from '../../src/session/store/lock.js';
import { serializeBySession } from '../../src/session/store/serialize.js';
import { sessionIdFromCookie } from '../../src/session/store/session-id.js';
import { cartOf, json, makeShop, type Shop, sessionCookie, TEST_SECRET, visitor } from '../helpers/shop.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const servers: http.Server[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(shop: Shop): Promise<{ server: http.Server; port: number }> {
  const server = shop.app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * Holds the next stock read (a slow database) until the test opens the gate: the
 * request that hits it keeps its handler running, and its session lock, meanwhile.
 */
function holdNextStockRead(shop: Shop): { reached: Promise<void>; open: () => void } {
  const stock = shop.services.stock;
  const levelOf = stock.levelOf.bind(stock);
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const reached = new Promise<void>((resolve) => {
    stock.levelOf = async (productId) => {
      stock.levelOf = levelOf;
      resolve();
      await gate;
      return levelOf(productId);
    };
  });
  return { reached, open };
}

/** Resolves once a request waits for the lock of this session (no clock involved). */
async function someoneWaitsOn(shop: Shop, cookie: string): Promise<void> {
  const lock = shop.services.lock;
  if (!(lock instanceof LocalSessionLock)) throw new Error('these tests use the in-process lock');
  const id = sessionIdFromCookie(cookie, 'shop.sid', [TEST_SECRET]);
  if (id === undefined) throw new Error('not a session cookie of this shop');
  while (!lock.hasWaiters(id)) await new Promise((resolve) => setImmediate(resolve));
}

/** Resolves once the session store has written a session holding `productId` in its cart. */
function storedWith(shop: Shop, productId: string): Promise<void> {
  const store = shop.services.sessionStore;
  const set = store.set.bind(store);
  return new Promise((resolve) => {
    store.set = (sid, session, callback) =>
      set(sid, session, (err?: unknown) => {
        callback?.(err);
        if (JSON.stringify(session).includes(`"${productId}"`)) resolve();
      });
  });
}

/** A JSON add to cart over a plain socket, so the test can hang up on it at will. */
function rawAdd(port: number, cookie: string, productId: string): http.ClientRequest {
  const req = http.request({
    port,
    host: '127.0.0.1',
    method: 'POST',
    path: '/cart/items',
    headers: { Cookie: cookie, 'Content-Type': 'application/json', Accept: 'application/json' },
  });
  req.on('error', () => {});
  req.end(JSON.stringify({ productId }));
  return req;
}

const sign = (id: string, secret: string) =>
  `s:${id}.${createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '')}`;

describe('the session lock', () => {
  it('keeps every add when one session is spelled three ways (encoded, decoded, older secret)', async () => {
    const older = 'an-older-secret-that-is-at-least-32-characters';
    const env = { SESSION_SECRET: `${TEST_SECRET},${older}`, SESSION_MAX_WAITING: '64' }; // 40 at once on one session
    const shop = await makeShop({ env, demoAccounts: false });
    const first = await request(shop.app).get('/').expect(200);
    const encoded = sessionCookie(first) ?? '';
    const decoded = decodeURIComponent(encoded);
    const id = decoded.slice(2, decoded.lastIndexOf('.'));
    const spellings = [encoded, decoded, encodeURIComponent(sign(id, older))];
    const products = ['p-001', 'p-002', 'p-003', 'p-005']; // 10 of each: the per-line cap, within stock
    const adds = Array.from({ length: 40 }, (_, i) =>
      request(shop.app)
        .post('/cart/items')
        .set('Cookie', `shop.sid=${spellings[i % 3]}`)
        .set(json)
        .send({ productId: products[i % 4], quantity: 1 }),
    );
    const answers = await Promise.all(adds);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const cart = (await request(shop.app).get('/cart').set('Cookie', `shop.sid=${encoded}`).set(json)).body.cart;
    expect(cart.count).toBe(40);
  });

  it('is held until the session is saved even when the client hangs up mid-request', async () => {
    const shop = await makeShop({ demoAccounts: false });
    const { port } = await listen(shop);
    const { agent } = await visitor(shop);
    const home = await agent.get('/').set(json);
    const cookie = `shop.sid=${sessionCookie(home) ?? ''}`;
    const savedA = storedWith(shop, 'p-001');
    // A: an add whose handler is held at its stock read; its client leaves meanwhile.
    const slow = holdNextStockRead(shop);
    const hungUp = rawAdd(port, cookie, 'p-001');
    await slow.reached;
    hungUp.destroy();
    // B: sent while A's handler still runs; it must wait for A's save, not for A's client.
    const answeredB = agent.post('/cart/items').set(json).send({ productId: 'p-002' });
    const b = answeredB.then((res) => res.status);
    await Promise.race([someoneWaitsOn(shop, cookie), b]);
    slow.open();
    expect(await b).toBe(200);
    await savedA; // A's (late) save has landed, whenever that was
    const ids = (await cartOf(agent)).lines.map((l: { productId: string }) => l.productId);
    expect(ids).toContain('p-002');
    expect(ids).toContain('p-001');
  });

  it('does no work for a request whose client hung up while it waited, and moves on', async () => {
    const shop = await makeShop({ demoAccounts: false });
    const { port } = await listen(shop);
    const { agent } = await visitor(shop);
    const cookie = `shop.sid=${sessionCookie(await agent.get('/').set(json)) ?? ''}`;
    // A holds the lock (its stock read is held).
    const slow = holdNextStockRead(shop);
    const holding = agent.post('/cart/items').set(json).send({ productId: 'p-001' });
    const held = holding.then((res) => res.status);
    await slow.reached;
    // B queues behind A with an add, and its client leaves before A is done.
    const waiting = rawAdd(port, cookie, 'p-002');
    await someoneWaitsOn(shop, cookie);
    const gone = new Promise((resolve) => waiting.once('close', resolve));
    waiting.destroy();
    await gone;
    slow.open();
    expect(await held).toBe(200);
    // The lock moved on, and B's add was never applied: nobody was there to be told.
    const ids = (await cartOf(agent)).lines.map((l: { productId: string }) => l.productId);
    expect(ids).toEqual(['p-001']);
  });

  it('is not held while a request body is still arriving', async () => {
    const shop = await makeShop({ env: { LOCK_WAIT_MS: '1000' }, demoAccounts: false });
    const { server } = await listen(shop);
    const { agent } = await visitor(shop);
    const home = await agent.get('/').set(json);
    const cookie = `shop.sid=${sessionCookie(home) ?? ''}`;
    const { port } = server.address() as AddressInfo;
    const slowUpload = http.request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/cart/items',
      headers: {
        Cookie: cookie,
        'Content-Type': 'application/json',
        'Content-Length': '200',
        Accept: 'application/json',
      },
    });
    slowUpload.on('error', () => {});
    slowUpload.write('{"productId":');
    await sleep(50);
    try {
      await request(server)
        .post('/cart/items')
        .set('Cookie', cookie)
        .set(json)
        .send({ productId: 'p-002' })
        .expect(200);
    } finally {
      slowUpload.destroy();
    }
  });
});

/** A request as serializeBySession sees it: the cookie, the socket, a log. */
function exchange(cookieValue?: string) {
  const warn = vi.fn();
  const req = Object.assign(new EventEmitter(), {
    headers: cookieValue === undefined ? {} : { cookie: `shop.sid=${encodeURIComponent(cookieValue)}` },
    socket: { destroyed: false },
    log: { warn },
  });
  const ended: unknown[][] = [];
  const res = Object.assign(new EventEmitter(), {
    closed: false,
    writableEnded: false,
    end(...args: unknown[]) {
      ended.push(args);
      res.writableEnded = true;
      return res;
    },
  });
  const next = vi.fn();
  return { req, res, next, warn, ended, asExpress: [req as unknown as Request, res as unknown as Response] as const };
}

const SECRET = 'a-secret-that-is-at-least-32-characters-long';
const signed = (id: string) => `s:${signature.sign(id, SECRET)}`;

describe('serializeBySession', () => {
  const options = { cookieName: 'shop.sid', secrets: [SECRET], waitMs: 1000, abandonAfterMs: 5000 };

  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets requests without a signed session cookie through without taking any lock', () => {
    const lock = new LocalSessionLock();
    const serialize = serializeBySession(lock, options);
    const cookieless = [exchange(), exchange(), exchange('s:forged.signature')];
    for (const { asExpress, next } of cookieless) {
      serialize(...asExpress, next);
      expect(next).toHaveBeenCalledTimes(1);
    }
    expect(lock.size).toBe(0);
  });

  it('takes the lock of the unsigned ID, and gives it back only after the answer is ended', async () => {
    const lock = new LocalSessionLock();
    const waited: number[] = [];
    const serialize = serializeBySession(lock, { ...options, waited: (s) => waited.push(s) });
    const first = exchange(signed('abc'));
    serialize(...first.asExpress, first.next);
    expect(first.next).toHaveBeenCalledTimes(1);
    expect(first.req).toHaveProperty('sessionLock');
    expect(lock.hasWaiters('abc')).toBe(false);
    expect(lock.tryAcquire('abc')).toBeUndefined(); // held, under the unsigned ID

    const second = exchange(signed('abc'));
    const turn = serialize(...second.asExpress, second.next);
    expect(lock.hasWaiters('abc')).toBe(true);
    expect(second.next).not.toHaveBeenCalled();

    first.res.end('done');
    expect(first.ended).toEqual([['done']]);
    await turn;
    expect(second.next).toHaveBeenCalledTimes(1);
    second.res.end();
    await vi.waitFor(() => expect(lock.size).toBe(0));
    expect(waited).toHaveLength(2);
    expect(waited.every((s) => s >= 0)).toBe(true);
  });

  it('reports the wait in seconds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const lock = new LocalSessionLock();
    const waited: number[] = [];
    const serialize = serializeBySession(lock, { ...options, waited: (s) => waited.push(s) });
    vi.advanceTimersByTime(10_000); // a clock that is not at zero
    const first = exchange(signed('abc'));
    serialize(...first.asExpress, first.next);
    const second = exchange(signed('abc'));
    const turn = serialize(...second.asExpress, second.next);
    vi.advanceTimersByTime(250);
    first.res.end();
    await turn;
    expect(waited[0]).toBe(0);
    expect(waited[1]).toBeCloseTo(0.25, 3);
  });

  it('refuses a request that waited its whole wait with SessionBusyError', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const lock = new LocalSessionLock();
    const serialize = serializeBySession(lock, options);
    const first = exchange(signed('abc'));
    serialize(...first.asExpress, first.next);
    const second = exchange(signed('abc'));
    const turn = serialize(...second.asExpress, second.next);
    const refused = expect(turn).rejects.toBeInstanceOf(SessionBusyError);
    vi.advanceTimersByTime(options.waitMs);
    await refused;
    expect(second.next).not.toHaveBeenCalled();
  });

  it('logs and passes on a refusal for too many waiting', async () => {
    const lock = new LocalSessionLock(0);
    const serialize = serializeBySession(lock, options);
    const first = exchange(signed('abc'));
    serialize(...first.asExpress, first.next);
    const second = exchange(signed('abc'));
    await expect(serialize(...second.asExpress, second.next)).rejects.toBeInstanceOf(SessionQueueFullError);
    expect(second.warn).toHaveBeenCalledWith('too many requests waiting on one session: refused');
    expect(first.warn).not.toHaveBeenCalled();
  });

  it.each([
    ['its answer is closed', { closed: true, destroyed: false }],
    ['its socket is destroyed', { closed: false, destroyed: true }],
  ])('does no work, and hands the lock on, for a request whose client left while it waited (%s)', async (_, gone) => {
    const lock = new LocalSessionLock();
    const serialize = serializeBySession(lock, options);
    const first = exchange(signed('abc'));
    serialize(...first.asExpress, first.next);
    const left = exchange(signed('abc'));
    const turn = serialize(...left.asExpress, left.next);
    left.res.closed = gone.closed;
    left.req.socket.destroyed = gone.destroyed;
    first.res.end();
    await turn;
    expect(left.next).not.toHaveBeenCalled();
    expect(lock.size).toBe(0);
  });

  it('abandons the lock of a request that outlived its client by abandonAfterMs, so its late save is refused', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const lock = new LocalSessionLock();
    const serialize = serializeBySession(lock, options);
    const stuck = exchange(signed('abc'));
    serialize(...stuck.asExpress, stuck.next);
    const handle = (stuck.req as unknown as Request).sessionLock;
    stuck.res.emit('close'); // the client hung up; the handler has not answered
    vi.advanceTimersByTime(options.abandonAfterMs - 1);
    expect(await handle?.confirm()).toBe(true);
    vi.advanceTimersByTime(1);
    expect(await handle?.confirm()).toBe(false);
    expect(stuck.warn).toHaveBeenCalledWith(expect.stringMatching(/abandoned/));
    expect(lock.size).toBe(0); // the next request on this session may go on
  });

  it('abandons nothing when the answer was ended before the client left, or ends before abandonAfterMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const lock = new LocalSessionLock();
    const serialize = serializeBySession(lock, options);
    const answered = exchange(signed('abc'));
    serialize(...answered.asExpress, answered.next);
    answered.res.end();
    answered.res.emit('close');
    expect(vi.getTimerCount()).toBe(0);

    const slow = exchange(signed('abc'));
    serialize(...slow.asExpress, slow.next);
    const handle = (slow.req as unknown as Request).sessionLock;
    slow.res.emit('close');
    expect(vi.getTimerCount()).toBe(1);
    slow.res.end(); // the late answer: the session is written and the lock given back
    expect(vi.getTimerCount()).toBe(0);
    expect(await handle?.confirm()).toBe(false); // released, not abandoned: nothing warned
    expect(slow.warn).not.toHaveBeenCalled();
    expect(lock.size).toBe(0);
  });

  it('logs a release that fails', async () => {
    const release = vi.fn(async () => {
      throw new Error('gone');
    });
    const handle = { confirm: async () => true, release, abandon: () => {} };
    const serialize = serializeBySession(
      { acquire: async () => handle, tryAcquire: () => handle, releaseAll: async () => {} },
      options,
    );
    const one = exchange(signed('abc'));
    serialize(...one.asExpress, one.next);
    one.res.end();
    await vi.waitFor(() =>
      expect(one.warn).toHaveBeenCalledWith({ err: expect.any(Error) }, 'session lock release failed'),
    );
  });

  it('gives the lock back, or abandons it, without a logger to tell', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', note);
    const handle = {
      confirm: async () => true,
      release: async () => {
        throw new Error('gone');
      },
      abandon: vi.fn(),
    };
    const serialize = serializeBySession(
      { acquire: async () => handle, tryAcquire: () => handle, releaseAll: async () => {} },
      options,
    );
    try {
      const released = exchange(signed('abc'));
      Reflect.deleteProperty(released.req, 'log');
      serialize(...released.asExpress, released.next);
      released.res.end();
      await new Promise((resolve) => setImmediate(resolve)); // a rejection left unhandled is reported by now
      expect(unhandled).toEqual([]);

      const stuck = exchange(signed('abc'));
      Reflect.deleteProperty(stuck.req, 'log');
      serialize(...stuck.asExpress, stuck.next);
      stuck.res.emit('close');
      expect(() => vi.advanceTimersByTime(options.abandonAfterMs)).not.toThrow();
      expect(handle.abandon).toHaveBeenCalledTimes(1);
    } finally {
      process.off('unhandledRejection', note);
    }
  });

  it('passes on any other refusal of the lock without the queue warning, and works without a logger', async () => {
    const down = new Error('the store is down');
    const serialize = serializeBySession(
      { acquire: async () => Promise.reject(down), tryAcquire: () => undefined, releaseAll: async () => {} },
      options,
    );
    const one = exchange(signed('abc'));
    await expect(serialize(...one.asExpress, one.next)).rejects.toBe(down);
    expect(one.warn).not.toHaveBeenCalled();

    const full = serializeBySession(
      {
        acquire: async () => Promise.reject(new SessionQueueFullError()),
        tryAcquire: () => undefined,
        releaseAll: async () => {},
      },
      options,
    );
    const unlogged = exchange(signed('abc'));
    Reflect.deleteProperty(unlogged.req, 'log');
    await expect(full(...unlogged.asExpress, unlogged.next)).rejects.toBeInstanceOf(SessionQueueFullError);
  });

  it('waits through acquire() for a lock that has no tryAcquire', async () => {
    const local = new LocalSessionLock();
    const serialize = serializeBySession(
      { acquire: (k, ms) => local.acquire(k, ms), releaseAll: async () => {} },
      options,
    );
    const one = exchange(signed('abc'));
    await serialize(...one.asExpress, one.next);
    expect(one.next).toHaveBeenCalledTimes(1);
    expect(local.size).toBe(1);
  });
});
