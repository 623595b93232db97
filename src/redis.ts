// Redis as the store sees it: one server (REDIS_URL), or the primary that Sentinel names
// (REDIS_SENTINELS), followed through each failover by node-redis. The few calls that
// differ between the two clients, and WAIT, live here.
import type { RedisClientType, RedisSentinelType } from 'redis';

export type Redis = RedisClientType | RedisSentinelType;

const isSentinel = (redis: Redis): redis is RedisSentinelType => 'getMasterNode' in redis;

/**
 * The primary's address as the client knows it now: it changes only in a failover. A WAIT
 * sent after a change went to a connection that never wrote, and would confirm nothing.
 */
export function primaryOf(redis: Redis): string | undefined {
  if (!isSentinel(redis)) return undefined;
  const node = redis.getMasterNode();
  return node && `${node.host}:${node.port}`;
}

/** One command, as its words, sent to the primary. */
export function sendCommand(redis: Redis, args: string[]): Promise<unknown> {
  return isSentinel(redis) ? redis.sendCommand(false, args) : redis.sendCommand(args);
}

/** Sends commands, as their words, on one connection to the primary. */
export type Send = (args: string[]) => Promise<unknown>;

/**
 * A second connection to the primary, for the writes that WAIT (REDIS_WAIT_REPLICAS).
 * Each such write and then its WAIT go out on it, so the WAIT confirms that write (and any
 * sent on it before). WAIT holds its connection until the replicas answer: on the one that
 * reads, locks and /readyz share, a missing replica would stall them all.
 */
export async function openWaitingConnection(redis: Redis): Promise<Redis> {
  const waiting: Redis = isSentinel(redis) ? redis.duplicate({ masterPoolSize: 1 }) : redis.duplicate();
  waiting.on('error', () => {}); // the shared connection reports the outage (startup.ts)
  await waiting.connect();
  return waiting;
}

/**
 * The share of a store call's bound (STORE_TIMEOUT_MS) within which a write or a delete
 * must start in Redis. Sent later (held by node-redis through a failover, sent again after
 * one, or stuck behind a hung primary), it finds its caller has given up and answered
 * "not saved", which must stay true, and does nothing. The rest of the bound is for its
 * answer to come back. Redis's clock and ours must agree to well within that rest (NTP
 * does, to milliseconds).
 */
export const WRITE_WINDOW = 0.5;

/**
 * With REDIS_WAIT_REPLICAS, the share of a store call's bound by which the replicas must
 * have confirmed a write. The rest is for undoing it when they have not, before the caller
 * gives up and answers "not saved".
 */
export const REPLICA_WINDOW = 0.75;

/**
 * WAIT: true once `replicas` replicas have every write sent so far on the connection
 * `send` uses, false if they have not within `withinMs` (or WAIT failed). It holds that
 * connection meanwhile: see openWaitingConnection.
 */
export async function replicated(send: Send, replicas: number, withinMs: number): Promise<boolean> {
  // WAIT n 0 would wait forever.
  const waitMs = String(Math.max(1, Math.floor(withinMs)));
  const acknowledged = await send(['WAIT', String(replicas), waitMs]).catch(() => 0);
  return typeof acknowledged === 'number' && acknowledged >= replicas;
}
