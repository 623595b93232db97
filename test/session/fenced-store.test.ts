// FencedStore in front of connect-redis, on a redis-server of the test's own: a
// session written under a Redis session lock is written only while that lock holds.
import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { describe, expect, it } from 'vitest';
import { FencedStore, fenceWith } from '../../src/session/store/fenced-store.js';
import { SessionLockLostError } from '../../src/session/store/lock.js';
import { RedisSessionLock } from '../../src/session/store/redis-lock.js';
import { UnavailableError } from '../../src/unavailable.js';
import { redisServerInstalled, usePrivateRedis } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';

const available = toolAvailable('redis-server', redisServerInstalled());
const PREFIX = 'shop:sess:';

describe.skipIf(!available)('FencedStore', () => {
  const redis = usePrivateRedis();

  async function setUp(sid: string) {
    const client = await redis.client();
    const store = new FencedStore(new RedisStore({ client, prefix: PREFIX }));
    const lock = await new RedisSessionLock(client, { leaseMs: 10_000, callTimeoutMs: 1_000 }).acquire(sid, 1_000);
    if (lock === undefined) throw new Error('lock not acquired');
    // The error the store calls back with; null and undefined both mean none.
    const write = (data: object) =>
      new Promise<unknown>((resolve) => store.set(sid, data as SessionData, (err) => resolve(err ?? undefined)));
    const stored = async () => JSON.parse((await client.get(PREFIX + sid)) ?? 'null');
    return { client, lock, write, stored };
  }

  /** A store that loads each session as its lock read it, where the lock knows it (dataKeyOf). */
  async function readingLocked() {
    const client = await redis.client();
    const lock = new RedisSessionLock(client, {
      leaseMs: 10_000,
      callTimeoutMs: 1_000,
      dataKeyOf: (sid) => PREFIX + sid,
    });
    const store = new FencedStore(new RedisStore({ client, prefix: PREFIX }), { known: lock });
    const load = (sid: string) =>
      new Promise((resolve, reject) => store.get(sid, (err, data) => (err ? reject(err) : resolve(data))));
    return { client, lock, store, load };
  }

  const inAnHour = () => ({ originalMaxAge: 3_600_000, expires: new Date(Date.now() + 3_600_000).toISOString() });

  it('writes a fenced session as connect-redis would: JSON that expires with its cookie', async () => {
    const { client, lock, write, stored } = await setUp('same-as-connect-redis');
    const data = { cookie: inAnHour(), cart: { lines: [{ productId: 'p-001', quantity: 2 }] } };
    fenceWith(data, lock);

    expect(await write(data)).toBeUndefined();

    expect(await stored()).toEqual(data);
    expect(await client.ttl(`${PREFIX}same-as-connect-redis`)).toBeGreaterThan(3_590);
  });

  it('refuses the write, and keeps what was stored, once the lock is someone else’s', async () => {
    const { client, lock, write, stored } = await setUp('taken-over');
    await write({ cookie: inAnHour(), n: 1 }); // unfenced: no lock was named for it
    await client.set('shop:lock:taken-over', 'another-instance');
    const data = { cookie: inAnHour(), n: 2 };
    fenceWith(data, lock);

    expect(await write(data)).toBeInstanceOf(SessionLockLostError);

    expect(await stored()).toMatchObject({ n: 1 });
  });

  it('loads a session handed on with its lock without reading Redis, until a touch, and reads Redis otherwise', async () => {
    const client = await redis.client();
    const lock = new RedisSessionLock(client, { leaseMs: 10_000, callTimeoutMs: 1_000 });
    const store = new FencedStore(new RedisStore({ client, prefix: PREFIX }), { known: lock });
    const load = () =>
      new Promise((resolve, reject) => store.get('loaded', (err, data) => (err ? reject(err) : resolve(data))));
    const first = await lock.acquire('loaded', 1000);
    const next = lock.acquire('loaded', 1000);
    const data = { cookie: inAnHour(), n: 1 };
    fenceWith(data, first as NonNullable<typeof first>);
    await new Promise((resolve) => store.set('loaded', data as unknown as SessionData, resolve));
    await first?.release();
    await next;
    // Redis now holds something else (no lock holder would do this): the handed-on copy wins.
    await client.set(`${PREFIX}loaded`, JSON.stringify({ cookie: inAnHour(), n: 'from redis' }));

    expect(await load()).toEqual(data);
    expect(await load()).toEqual(data);
    // A touch may delete a session (an expiry already past): from then on, Redis is read.
    await new Promise((resolve) => store.touch('loaded', data as unknown as SessionData, resolve));
    expect(await load()).toMatchObject({ n: 'from redis' });
  });

  it('loads a session read in the same round trip as its lock was taken, and knows when there is none, until it is destroyed', async () => {
    const { client, lock, store, load } = await readingLocked();
    const stored = { cookie: inAnHour(), n: 'stored' };
    await client.set(`${PREFIX}read`, JSON.stringify(stored));

    const held = await lock.acquire('read', 1000);
    const none = await lock.acquire('nothing-stored', 1000);
    // Changed behind the locks' backs (no lock holder would do this): what the loads return
    // is what came with each lock, read as it was taken, not a second read.
    const later = { cookie: inAnHour(), n: 'changed later' };
    await client.set(`${PREFIX}read`, JSON.stringify(later));
    await client.set(`${PREFIX}nothing-stored`, JSON.stringify(later));
    expect(await load('read')).toEqual(stored);
    expect(await load('nothing-stored')).toBeNull();
    expect(await load('read')).toEqual(stored);
    // Destroyed and written again behind the lock's back: Redis is read.
    await new Promise((resolve) => store.destroy('read', resolve));
    await client.set(`${PREFIX}read`, JSON.stringify(later));
    expect(await load('read')).toEqual(later);
    await held?.release();
    await none?.release();
  });

  it('reads Redis again once a session is written without its lock, or its lock is lost', async () => {
    const { client, lock, store, load } = await readingLocked();
    const behindTheBack = async (sid: string, n: string) => {
      const data = { cookie: inAnHour(), n };
      await client.set(PREFIX + sid, JSON.stringify(data));
      return data;
    };
    await behindTheBack('unfenced', 'stored');
    await behindTheBack('lost', 'stored');
    const unfenced = await lock.acquire('unfenced', 1000);
    const lost = await lock.acquire('lost', 1000);
    expect(await load('unfenced')).toMatchObject({ n: 'stored' });
    expect(await load('lost')).toMatchObject({ n: 'stored' });

    // Written with no lock named for it (as a session expiring now would be), then changed.
    await new Promise((resolve) => store.set('unfenced', { cookie: inAnHour(), n: 'unfenced' } as never, resolve));
    const unfencedLater = await behindTheBack('unfenced', 'later');
    expect(await load('unfenced')).toEqual(unfencedLater);
    // Taken by another instance: this one's copy may be out of date.
    await client.set('shop:lock:lost', 'another-instance');
    expect(await lost?.confirm()).toBe(false);
    const lostLater = await behindTheBack('lost', 'later');
    expect(await load('lost')).toEqual(lostLater);
    await unfenced?.release();
    await lost?.release();
  });

  describe('a destroy', () => {
    const destroyIn = (store: FencedStore, sid: string) =>
      new Promise<unknown>((resolve) => store.destroy(sid, (err) => resolve(err ?? undefined)));

    it('deletes the session when it reaches Redis in time', async () => {
      const client = await redis.client();
      const store = new FencedStore(new RedisStore({ client, prefix: PREFIX }), {
        redis: { client, callTimeoutMs: 1_000, waitReplicas: 0 },
      });
      await client.set(`${PREFIX}logged-out`, JSON.stringify({ cookie: inAnHour(), user: 'ravi' }));

      expect(await destroyIn(store, 'logged-out')).toBeUndefined();

      expect(await client.exists(`${PREFIX}logged-out`)).toBe(0);
    });

    it('deletes nothing, and says so, when it reaches Redis after its caller has given up', async () => {
      const client = await redis.client();
      const store = new FencedStore(new RedisStore({ client, prefix: PREFIX }), {
        redis: { client, callTimeoutMs: 200, waitReplicas: 0 },
      });
      const guest = JSON.stringify({ cookie: inAnHour(), cart: { lines: [{ productId: 'p-001', quantity: 3 }] } });
      await client.set(`${PREFIX}guest`, guest);
      // A hung primary: the DEL waits in its socket until the caller's bound (200 ms) is long past.
      redis.server().pause();
      const destroyed = destroyIn(store, 'guest');
      await new Promise((resolve) => setTimeout(resolve, 600));
      redis.server().resume();

      expect(await destroyed).toBeInstanceOf(UnavailableError);
      expect(await client.get(`${PREFIX}guest`)).toBe(guest);
    });
  });

  it('confirms the lock first for a session without an expiry, which it cannot write in one step', async () => {
    const { client, lock, write, stored } = await setUp('no-expiry');
    const held = { cookie: { originalMaxAge: null }, n: 1 };
    fenceWith(held, lock);
    expect(await write(held)).toBeUndefined();
    expect(await stored()).toMatchObject({ n: 1 });

    await client.set('shop:lock:no-expiry', 'another-instance');
    const lost = { cookie: { originalMaxAge: null }, n: 2 };
    fenceWith(lost, lock);
    expect(await write(lost)).toBeInstanceOf(SessionLockLostError);
    expect(await stored()).toMatchObject({ n: 1 });
  });
});
