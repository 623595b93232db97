// The Redis session lock against a redis-server of the test's own, so it can be
// paused. Two lock objects on two clients stand for two processes.
import { describe, expect, it } from 'vitest';
import { RedisSessionLock } from '../../src/session/store/redis-lock.js';
import { UnavailableError } from '../../src/unavailable.js';
import { redisServerInstalled, usePrivateRedis } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';

const available = toolAvailable('redis-server', redisServerInstalled());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!available)('RedisSessionLock', () => {
  const redis = usePrivateRedis();
  const client = redis.client;

  async function lockOn(leaseMs = 10_000, callTimeoutMs = 1_000) {
    return new RedisSessionLock(await client(), { leaseMs, callTimeoutMs });
  }

  it('lets one holder in at a time across processes', async () => {
    const locks = [await lockOn(), await lockOn()];
    const order: string[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async (n) => {
        const handle = await locks[n % 2]?.acquire('one-at-a-time', 5000);
        if (!handle) throw new Error('lock not acquired');
        order.push(`in ${n}`);
        await sleep(20);
        order.push(`out ${n}`);
        await handle.release();
      }),
    );
    for (let i = 0; i < order.length; i += 2) expect(order[i]?.replace('in', 'out')).toBe(order[i + 1]);
  });

  it('queues the waiters of one process in arrival order', async () => {
    const lock = await lockOn();
    const order: number[] = [];
    const first = await lock.acquire('fifo', 5000);
    const waiters = [1, 2, 3, 4].map(async (n) => {
      await sleep(n); // arrive in order
      const handle = await lock.acquire('fifo', 5000);
      order.push(n);
      await handle?.release();
    });
    await sleep(30);
    await first?.release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('hands the Redis lock on to the next waiter of its process without a round trip', async () => {
    const lock = await lockOn();
    const redis = await client();
    const first = await lock.acquire('hand-off', 5000);
    const tokenOfFirst = await redis.get('shop:lock:hand-off');
    const second = lock.acquire('hand-off', 5000);
    await sleep(5);
    await first?.release();
    const handle = await second;
    expect(await redis.get('shop:lock:hand-off')).toBe(tokenOfFirst);
    expect(await handle?.confirm()).toBe(true);
    await handle?.release();
    expect(await redis.get('shop:lock:hand-off')).toBeNull();
  });

  it('still lets another process in while one process keeps handing its lock on', async () => {
    const busy = await lockOn();
    const other = await lockOn();
    let stop = false;
    let rounds = 0;
    // Two workers of one process take turns on the key without pause.
    const workers = [0, 1].map(async () => {
      while (!stop) {
        const handle = await busy.acquire('fair', 30_000);
        rounds++;
        await sleep(1);
        await handle?.release();
      }
    });
    await sleep(20);
    // Its turn comes within a few rounds of hand-offs, not by luck: counted in rounds, not ms.
    const before = rounds;
    const handle = await other.acquire('fair', 30_000);
    const waited = rounds - before;
    stop = true;
    expect(handle).toBeDefined();
    expect(waited).toBeLessThanOrEqual(20);
    await handle?.release();
    await Promise.all(workers);
  });

  it('gives up after the wait and never frees a lock it does not hold', async () => {
    const lock = await lockOn();
    const redis = await client();
    const handle = await lock.acquire('held', 1000);
    expect(await (await lockOn()).acquire('held', 50)).toBeUndefined();
    await redis.set('shop:lock:held', 'someone-else');
    expect(await handle?.confirm()).toBe(false);
    await handle?.release();
    expect(await redis.get('shop:lock:held')).toBe('someone-else');
  });

  it('writes fenced: only while the lock is still ours, extending its lease, in one step', async () => {
    const lock = await lockOn(30_000);
    const redis = await client();
    const handle = await lock.acquire('fenced', 1000);
    await redis.pExpire('shop:lock:fenced', 50); // most of the lease gone: the write gives it back in full

    expect(await handle?.writeFenced?.('shop:sess:fenced', '{"n":1}', 60)).toBe(true);
    expect(await redis.get('shop:sess:fenced')).toBe('{"n":1}');
    expect(await redis.ttl('shop:sess:fenced')).toBeGreaterThan(55);
    expect(await redis.pTTL('shop:lock:fenced')).toBeGreaterThan(5_000);

    // The lease ran out and another process took the lock: the write is refused, and nothing moves.
    await redis.set('shop:lock:fenced', 'someone-else');
    expect(await handle?.writeFenced?.('shop:sess:fenced', '{"n":2}', 60)).toBe(false);
    expect(await redis.get('shop:sess:fenced')).toBe('{"n":1}');
    expect(await handle?.confirm()).toBe(false);
    await handle?.release();
    expect(await redis.get('shop:lock:fenced')).toBe('someone-else');
  });

  it('refuses a fenced write that reaches Redis after its caller gave up on it', async () => {
    const lock = await lockOn(10_000, 300);
    const reader = await client();
    const handle = await lock.acquire('late', 1000);
    redis.server().pause();
    try {
      const write = handle?.writeFenced?.('shop:sess:late', '{"n":1}', 60);
      await expect(write).rejects.toBeInstanceOf(UnavailableError); // answered 503 "not saved"…
      await sleep(300);
    } finally {
      redis.server().resume();
    }
    // …and that stays true: the script, run once Redis answers again, finds its deadline gone.
    expect(await reader.get('shop:sess:late')).toBeNull();
    await handle?.release();
  });

  it('still frees the lock of a write refused as too late, so the shopper’s retry gets in', async () => {
    // Bound 1 s, so the write must start within 0.5 s: Redis stalls 0.7 s, then answers "too late" in time.
    const lock = await lockOn(10_000, 1000);
    const handle = await lock.acquire('late-release', 1000);
    redis.server().pause();
    const write = handle?.writeFenced?.('shop:sess:late-release', '{}', 60);
    await sleep(700);
    redis.server().resume();
    expect(await write).toBe(false);
    expect(await (await client()).get('shop:sess:late-release')).toBeNull();
    await handle?.release();
    const retry = await (await lockOn(10_000, 1000)).acquire('late-release', 500);
    expect(retry).toBeDefined();
    await retry?.release();
  });

  it('hands what a holder wrote on to the next holders in its process until it is forgotten, and never across a release', async () => {
    const [one, two] = [await lockOn(), await lockOn()];
    const first = await one.acquire('handed', 1000);
    const next = one.acquire('handed', 1000); // queued behind it, in the same process
    await first?.writeFenced?.('shop:sess:handed', '{"n":1}', 60);
    expect(one.valueOf('handed', 'shop:sess:other')).toBeUndefined(); // another key
    await first?.release();
    const second = await next;

    // Each load of the holder gets it (a request that only reads writes nothing to update it).
    expect(one.valueOf('handed', 'shop:sess:handed')).toBe('{"n":1}');
    expect(one.valueOf('handed', 'shop:sess:handed')).toBe('{"n":1}');
    // Changed other than by a fenced write (a destroy, a touch): no longer known.
    one.forget('shop:sess:handed');
    expect(one.valueOf('handed', 'shop:sess:handed')).toBeUndefined();

    // Written again, then released to Redis: another process writes; the value is not handed back.
    await second?.writeFenced?.('shop:sess:handed', '{"n":2}', 60);
    expect(one.valueOf('handed', 'shop:sess:handed')).toBe('{"n":2}');
    await second?.release();
    const elsewhere = await two.acquire('handed', 1000);
    await elsewhere?.writeFenced?.('shop:sess:handed', '{"n":3}', 60);
    await elsewhere?.release();
    const again = await one.acquire('handed', 1000);
    expect(one.valueOf('handed', 'shop:sess:handed')).toBeUndefined();
    await again?.release();
  });

  it('takes over the lock of a crashed holder once its lease has run out', async () => {
    const redis = await client();
    await redis.set('shop:lock:crashed', 'a-dead-process', { expiration: { type: 'PX', value: 150 } });
    const handle = await (await lockOn()).acquire('crashed', 2000);
    expect(handle).toBeDefined();
    await handle?.release();
  });

  it('renews the lease while its holder runs, so nobody else gets in', async () => {
    // Watched, not timed: the lease's time left in Redis must go back up, twice, with our
    // token still in the key. A lease of 3 s is renewed every second, so only a stall of
    // the event loop of two seconds could let it lapse.
    const redis = await client();
    const holder = await lockOn(3000);
    const handle = await holder.acquire('renewed', 1000);
    const token = await redis.get('shop:lock:renewed');
    let renewals = 0;
    let last = await redis.pTTL('shop:lock:renewed');
    while (renewals < 2) {
      await sleep(50);
      const left = await redis.pTTL('shop:lock:renewed');
      expect(left).toBeGreaterThan(0); // never lapsed
      if (left > last) renewals++;
      last = left;
    }
    expect(await redis.get('shop:lock:renewed')).toBe(token);
    expect(await (await lockOn(3000)).acquire('renewed', 0)).toBeUndefined();
    expect(await handle?.confirm()).toBe(true);
    await handle?.release();
  });

  it('fails a waiter at once when Redis failed the request ahead of it', async () => {
    const lock = await lockOn(10_000, 1000);
    redis.server().pause();
    try {
      const ahead = lock.acquire('queued', 5000);
      await sleep(10);
      const behind = lock.acquire('queued', 5000);
      let behindSettled = false;
      const settled = () => {
        behindSettled = true;
      };
      behind.then(settled, settled);
      await expect(ahead).rejects.toBeInstanceOf(UnavailableError);
      // One bound, not two: the waiter fails with the call ahead of it, making none of its own.
      await new Promise((resolve) => setImmediate(resolve));
      expect(behindSettled).toBe(true);
      await expect(behind).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      redis.server().resume();
    }
  });

  it('fails only the waiters of the key whose request Redis failed, not those of another key', async () => {
    // A long lease: the holder makes no Redis call of its own while Redis is paused.
    const lock = await lockOn(10_000, 300);
    const holder = await lock.acquire('other-key', 1000);
    const waiter = lock.acquire('other-key', 3000); // queued in this process behind the holder
    redis.server().pause();
    try {
      await expect(lock.acquire('failed-key', 1000)).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      redis.server().resume();
    }
    // The holder gives the key up without handing it on, so the waiter asks Redis itself.
    await (await client()).del('shop:lock:other-key');
    holder?.abandon();
    const handle = await waiter;
    expect(handle).toBeDefined();
    await handle?.release();
  });

  it('never parks a hand-off for a waiter that left: the next holder asks Redis again', async () => {
    const lock = await lockOn(300);
    const other = await lockOn(300);
    // Eight hand-offs in a row: the ninth release first asks Redis whether another process waits.
    let handle = await lock.acquire('left', 1000);
    for (let i = 0; i < 8; i++) {
      const next = lock.acquire('left', 1000);
      await sleep(1);
      await handle?.release();
      handle = await next;
    }
    const leaving = lock.acquire('left', 30); // gives up while that question is on its way
    await sleep(1);
    redis.server().pause();
    const released = handle?.release();
    await sleep(100);
    redis.server().resume();
    await released;
    expect(await leaving).toBeUndefined();
    // The lease runs out with nobody renewing it, and another process takes the key…
    const theirs = await other.acquire('left', 2000);
    expect(theirs).toBeDefined();
    // …so this process must not find a lock of its own to reuse.
    expect(await lock.acquire('left', 200)).toBeUndefined();
    await theirs?.release();
  });

  it('answers UnavailableError within its bound while Redis is paused', async () => {
    const lock = await lockOn(10_000, 300);
    redis.server().pause();
    try {
      // Refused by the call's bound: a wait run out would answer undefined, and only after a minute.
      await expect(lock.acquire('paused', 60_000)).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      redis.server().resume();
    }
    // And it works again by itself once Redis answers; the SET that landed late was taken back.
    const handle = await lock.acquire('paused', 2000);
    expect(handle).toBeDefined();
    await handle?.release();
  });
});
