// The rate limits' counts in Redis (src/web/limits/limit-counters.ts): counted per client key
// within a window, on a redis-server of the test's own, in keys with no TTL, which
// Redis's volatile-ttl eviction never picks; expired counts are swept by the script.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Options } from 'express-rate-limit';
import type { RedisClientType } from 'redis';
import { describe, expect, it } from 'vitest';
import { RedisLimitCounters } from '../../src/web/limits/limit-counters.js';
import { redisServerInstalled, usePrivateRedis } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';

const available = toolAvailable('redis-server', redisServerInstalled());

describe.skipIf(!available)('RedisLimitCounters', () => {
  const redis = usePrivateRedis();
  let next = 0;

  async function counters(windowMs: number) {
    const client: RedisClientType = await redis.client();
    const prefix = `test:${next++}:`;
    const store = new RedisLimitCounters(prefix, (args) => client.sendCommand(args));
    store.init({ windowMs } as Options);
    return { client, store, counts: `${prefix}counts`, resets: `${prefix}resets` };
  }

  it('counts each client key apart within its window, in keys that never expire', async () => {
    const { client, store, counts, resets } = await counters(60_000);
    const before = Date.now();
    await store.increment('a');
    await store.increment('b');
    const a = await store.increment('a');

    expect(a.totalHits).toBe(2);
    expect(a.resetTime?.getTime()).toBeGreaterThan(before + 59_000);
    expect(a.resetTime?.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    expect((await store.get('b'))?.totalHits).toBe(1);
    expect(await store.get('nobody')).toBeUndefined();
    // -1: the key exists and has no TTL, so no volatile-* policy will ever evict it.
    expect([await client.pTTL(counts), await client.pTTL(resets)]).toEqual([-1, -1]);
  });

  it('starts a key again at 1 once its window has passed', async () => {
    const { store } = await counters(50);
    await store.increment('a');
    await store.increment('a');
    await sleep(80);

    expect(await store.get('a')).toBeUndefined();
    expect((await store.increment('a')).totalHits).toBe(1);
  });

  it('sweeps the counts whose window has passed on the next increment', async () => {
    const { client, store, counts, resets } = await counters(50);
    for (const key of ['a', 'b', 'c', 'd']) await store.increment(key);
    await sleep(80);
    await store.increment('e');

    expect(await client.hKeys(counts)).toEqual(['e']);
    expect(await client.zRange(resets, 0, -1)).toEqual(['e']);
  });

  it('takes back a count without going below zero or making one up', async () => {
    const { client, store, counts } = await counters(60_000);
    await store.increment('a');
    await store.decrement('a');
    await store.decrement('a');
    await store.decrement('nobody');

    expect((await store.get('a'))?.totalHits).toBe(0);
    expect(await client.hGet(counts, 'nobody')).toBeNull();
  });

  it('forgets one key, or all of them', async () => {
    const { client, store, counts, resets } = await counters(60_000);
    await store.increment('a');
    await store.increment('b');
    await store.resetKey('a');
    expect(await store.get('a')).toBeUndefined();
    expect((await store.get('b'))?.totalHits).toBe(1);

    await store.resetAll();
    expect(await client.exists([counts, resets])).toBe(0);
  });

  it('sends its script again to a Redis that has lost it (restarted empty)', async () => {
    const { client, store } = await counters(60_000);
    await store.increment('a');
    await client.scriptFlush();

    expect((await store.increment('a')).totalHits).toBe(2);
  });
});
