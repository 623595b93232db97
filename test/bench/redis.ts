// Redis for the redis scenarios. Preferably a private redis-server on a free port
// (test/helpers/redis-server.ts), killed when the bench exits: nothing shared is
// touched and nobody else's load lands in our p99. Without the redis-server program,
// or when BENCH_REDIS_URL names one, a running Redis is used as before: its own
// database number, and only the keys the bench made are deleted; never a flush.
import { createClient } from 'redis';
import { PrivateRedis, redisServerInstalled } from '../helpers/redis-server.js';
import { reachable } from '../helpers/services.js';

const SHARED_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

export type BenchRedis =
  | { url: string; kind: 'private' | 'shared'; stop: () => Promise<void> }
  | { url: undefined; skip: string };

export async function benchRedis(): Promise<BenchRedis> {
  if (process.env.BENCH_REDIS_URL === undefined && redisServerInstalled()) {
    const redis = await PrivateRedis.start();
    // stop() sends SIGKILL synchronously before it awaits anything: fine in an 'exit' handler.
    process.once('exit', () => void redis.stop());
    return { url: redis.url, kind: 'private', stop: () => redis.stop() };
  }
  const skip = await redisUnavailable(SHARED_REDIS_URL);
  if (skip !== undefined) return { url: undefined, skip };
  return { url: SHARED_REDIS_URL, kind: 'shared', stop: async () => {} };
}

/** undefined when Redis answers PING; otherwise the reason to print. */
async function redisUnavailable(url: string): Promise<string | undefined> {
  if (!(await reachable(url))) return `nothing listens at ${url}`;
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 1_000 } });
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    return `${url} does not answer PING (${err instanceof Error ? err.message : String(err)})`;
  } finally {
    if (client.isOpen) await client.quit();
  }
}

/** Deletes the store's keys (src/session/setup.ts prefix) for these `shop.sid=s%3A<id>.<signature>` cookies. */
export async function deleteSessions(cookies: string[], url: string): Promise<number> {
  const keys = cookies.map(sessionKey).filter((key) => key !== undefined);
  if (keys.length === 0) return 0;
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 1_000 } });
  await client.connect();
  try {
    return await client.del(keys);
  } finally {
    await client.quit();
  }
}

/** The store's Redis key for a `shop.sid=s%3A<id>.<signature>` cookie. */
export function sessionKey(cookie: string): string | undefined {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  const match = /^s:(.+)\.[^.]+$/.exec(value);
  return match?.[1] === undefined ? undefined : `shop:sess:${match[1]}`;
}
