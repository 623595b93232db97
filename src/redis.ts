// Redis as the store sees it: one server (REDIS_URL), or the primary that Sentinel names
// (REDIS_SENTINELS), followed through each failover by node-redis. The few calls that
// differ between the two clients, and WAIT, live here.
import type { RedisClientType, RedisSentinelType } from 'redis';
import { withTimeout } from './unavailable.js';

export type Redis = RedisClientType | RedisSentinelType;

const isSentinel = (redis: Redis): redis is RedisSentinelType => 'getMasterNode' in redis;

/**
 * The primary's address as the client knows it now: it changes only in a failover. A WAIT
 * sent after a change went to a connection that never wrote, and would confirm nothing.
 */
function primaryOf(redis: Redis): string | undefined {
  if (!isSentinel(redis)) return undefined;
  const node = redis.getMasterNode();
  return node && `${node.host}:${node.port}`;
}

/** One command, as its words, sent to the primary. */
export function sendCommand(redis: Redis, args: string[]): Promise<unknown> {
  return isSentinel(redis) ? redis.sendCommand(false, args) : redis.sendCommand(args);
}

/** Sends commands, as their words, on one connection to the primary. */
type Send = (args: string[]) => Promise<unknown>;

/**
 * A second connection to the primary, for the writes that WAIT (REDIS_WAIT_REPLICAS; see
 * writeThenWait). WAIT holds its connection until the replicas answer: on the one that
 * reads, locks and /readyz share, a missing replica would stall them all. Through Sentinel,
 * a command that failed with its connection is not sent again on the next one
 * (maxCommandRediscovers 0): a WAIT there would confirm a connection that wrote nothing.
 */
export async function openWaitingConnection(redis: Redis, withinMs: number): Promise<Redis> {
  const waiting: Redis = isSentinel(redis)
    ? redis.duplicate({ masterPoolSize: 1, maxCommandRediscovers: 0 })
    : redis.duplicate();
  let lastError = '';
  // The shared connection reports an outage (startup.ts); this one's failures are its writes' 503s.
  waiting.on('error', (err: unknown) => {
    lastError = err instanceof Error ? err.message : String(err);
  });
  try {
    const connected: Promise<unknown> = waiting.connect();
    await withTimeout(connected, withinMs, () => new Error(lastError || 'no answer'));
  } catch (err) {
    void waiting.destroy();
    throw new Error(`Could not open the second Redis connection REDIS_WAIT_REPLICAS writes through: ${String(err)}`);
  }
  return waiting;
}

/**
 * `write` on the waiting connection (openWaitingConnection), then WAIT there: `confirmed`
 * once `replicas` replicas have it by `decideBy` (epoch ms). The two go out one right after
 * the other, so the WAIT is about this write (and any sent on that connection before). A
 * confirmation that came late is no better than none: the caller may have given up. Nor is
 * one from a new primary: its WAIT was about another connection's writes. `written`: whether
 * the reply says anything was written (no WAIT otherwise).
 */
export async function writeThenWait(
  waiting: Redis,
  write: string[],
  replicas: number,
  decideBy: number,
  written: (reply: unknown) => boolean = () => true,
): Promise<{ reply: unknown; confirmed: boolean }> {
  const primary = primaryOf(waiting);
  const send: Send = (args) => sendCommand(waiting, args);
  const reply = await send(write);
  if (!written(reply) || Date.now() >= decideBy) return { reply, confirmed: false };
  const acknowledged = await replicated(send, replicas, decideBy - Date.now());
  return { reply, confirmed: acknowledged && Date.now() <= decideBy && primaryOf(waiting) === primary };
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
