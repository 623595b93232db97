import { describe, expect, it } from 'vitest';
import { redisServerInstalled, usePrivateRedis } from '../helpers/redis-server.js';
import { fillRedis } from './growth-redis.js';

// More than one of fillRedis's chunks of 10,000 commands.
const COPIES = 12_000;

describe.runIf(redisServerInstalled())('fillRedis', () => {
  const redis = usePrivateRedis();

  it('writes copies of a session under new IDs, each with its own CSRF token and the same lifetime', async () => {
    const client = await redis.client();
    const session = {
      cookie: { originalMaxAge: 604_800_000 },
      csrfToken: 'token-of-the-template',
      cart: { lines: [] },
    };
    await client.set('shop:sess:template', JSON.stringify(session), { EX: 3_600 });

    const filled = await fillRedis(redis.server().url, 'shop:sess:template', COPIES);

    const keys = await client.keys('shop:sess:*');
    expect(keys).toHaveLength(COPIES + 1);
    const copies = await Promise.all(keys.filter((k) => k !== 'shop:sess:template').map((k) => client.get(k)));
    const parsed = copies.map((text) => JSON.parse(text ?? '{}') as typeof session);
    expect(parsed.every((copy) => copy.cart.lines.length === 0 && copy.cookie.originalMaxAge === 604_800_000)).toBe(
      true,
    );
    expect(new Set(parsed.map((copy) => copy.csrfToken)).size).toBe(COPIES);
    expect(parsed.some((copy) => copy.csrfToken === session.csrfToken)).toBe(false);
    const ttl = await client.ttl(keys[0] ?? '');
    expect(ttl).toBeGreaterThan(3_500);
    expect(ttl).toBeLessThanOrEqual(3_600);
    expect(filled.sampled).toBe(100);
    expect(filled.sampledBytes).toBeGreaterThan(0);
    expect(filled.usedMemoryGrowth).toBeGreaterThan(0);
  });
});
