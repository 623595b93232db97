// The rate limits' counts in Redis, kept where Redis's eviction cannot reach them.
//
// The README's Redis runs `maxmemory-policy volatile-ttl`: when memory runs out it drops
// the keys with a TTL that expire soonest, so empty sessions go before carts. A counter
// with a TTL of its own (a minute, 15 minutes) would go before either, and a flood that
// fills memory would wipe the very counts that are meant to stop it. So no counter here
// has a TTL: one hash per limit holds the counts, one sorted set holds when each resets,
// and every increment deletes, in the same script, up to SWEEP counters whose window has
// passed. Each call adds at most one counter and removes up to SWEEP, so what is kept
// stays what the windows hold. Under volatile-ttl these two keys are never evicted; under
// noeviction a full Redis refuses the count (503 "full"), as it refuses a session write.
import { createHash } from 'node:crypto';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

/** Sends one raw command to Redis (bounded, its errors already classified by the caller). */
export type SendCommand = (args: string[]) => Promise<unknown>;

const SWEEP = 100;

/** Redis has not cached the script (it restarted empty): send it in full. */
export const isNoScript = (err: unknown) => err instanceof Error && err.message.startsWith('NOSCRIPT');

type Script = { text: string; sha: string };

function script(text: string): Script {
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

/** Milliseconds on Redis's clock: every instance counts windows on the same one. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: counts, resets. ARGV: client key, window in ms. Returns { hits, ms until reset }. */
const INCREMENT = script(`${NOW}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, ${SWEEP})
if #expired > 0 then
  redis.call('HDEL', KEYS[1], unpack(expired))
  redis.call('ZREM', KEYS[2], unpack(expired))
end
local resetAt = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not resetAt then
  local window = tonumber(ARGV[2])
  redis.call('ZADD', KEYS[2], now + window, ARGV[1])
  redis.call('HSET', KEYS[1], ARGV[1], 1)
  return { 1, window }
end
return { redis.call('HINCRBY', KEYS[1], ARGV[1], 1), tonumber(resetAt) - now }`);

/** KEYS: counts, resets. ARGV: client key. Returns { hits, ms until reset }, or {} when not counting. */
const GET = script(`${NOW}
local resetAt = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not resetAt or tonumber(resetAt) <= now then return {} end
return { tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or 0), tonumber(resetAt) - now }`);

/** KEYS: counts. ARGV: client key. Never below zero, never a counter that was not there. */
const DECREMENT = script(`if tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or 0) > 0 then
  redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
end`);

export class RedisLimitCounters implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private readonly keys: [counts: string, resets: string];

  constructor(
    readonly prefix: string,
    private readonly send: SendCommand,
  ) {
    this.keys = [`${prefix}counts`, `${prefix}resets`];
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    return info(await this.run(INCREMENT, this.keys, [key, String(this.windowMs)]));
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const reply = await this.run(GET, this.keys, [key]);
    return Array.isArray(reply) && reply.length === 2 ? info(reply) : undefined;
  }

  async decrement(key: string): Promise<void> {
    await this.run(DECREMENT, [this.keys[0]], [key]);
  }

  async resetKey(key: string): Promise<void> {
    const [counts, resets] = this.keys;
    await Promise.all([this.send(['HDEL', counts, key]), this.send(['ZREM', resets, key])]);
  }

  async resetAll(): Promise<void> {
    await this.send(['DEL', ...this.keys]);
  }

  /** EVALSHA, and EVAL (which also caches it) when Redis has not seen the script: a restarted Redis. */
  private async run({ text, sha }: Script, keys: string[], args: string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.send(['EVALSHA', sha, ...tail]);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return this.send(['EVAL', text, ...tail]);
    }
  }
}

function info(reply: unknown): ClientRateLimitInfo {
  if (!Array.isArray(reply) || reply.length !== 2) throw new TypeError('unexpected reply from the limit script');
  return { totalHits: Number(reply[0]), resetTime: new Date(Date.now() + Number(reply[1])) };
}
