// Redis for scenario 8, if one is running: whether it answers, and removing the
// sessions the bench created there afterwards. The bench uses its own database
// number and deletes only the keys it made; it never flushes anything.
import { createClient } from 'redis';
import { reachable } from '../helpers/services.js';

export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

/** undefined when Redis answers PING; otherwise the reason to print. */
export async function redisUnavailable(url = BENCH_REDIS_URL): Promise<string | undefined> {
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
export async function deleteSessions(cookies: string[], url = BENCH_REDIS_URL): Promise<number> {
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

function sessionKey(cookie: string): string | undefined {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  const match = /^s:(.+)\.[^.]+$/.exec(value);
  return match?.[1] === undefined ? undefined : `shop:sess:${match[1]}`;
}
