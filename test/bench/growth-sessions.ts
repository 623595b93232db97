// Growth in the sessions the store holds besides the shopper's own (growth.ts): the
// same GET /cart on one cookie against a store holding few and many sessions, and what
// each held session costs in memory.
// - memorystore, 1,000 / 100,000: growth-server.ts fills each store before it listens;
//   heap after a full GC read through heap-probe.ts.
// - Redis, 10,000 / 1,000,000 (--quick: 1,000 / 100,000): a private redis-server for
//   each side, filled by growth-redis.ts; a request's cost counts Redis's CPU too.
import { join } from 'node:path';
import { PrivateRedis, redisServerInstalled } from '../helpers/redis-server.js';
import type { Build } from './build.js';
import { CONNECTIONS, measurePair, type Side } from './growth-measure.js';
import type { GrowthRow } from './growth-print.js';
import { fillRedis } from './growth-redis.js';
import type { LoadRequest } from './load.js';
import type { BenchOptions } from './options.js';
import { heapUsedBytes, rssBytes, type Server } from './processes.js';
import { sessionKey } from './redis.js';
import { ACCEPT_JSON, newSessions, PROXY_HEADERS } from './shopper.js';
import { startTarget } from './targets.js';

const MEMORY_HELD = [1_000, 100_000] as const;
const getCart: LoadRequest[] = [{ method: 'GET', path: '/cart', headers: { ...PROXY_HEADERS, ...ACCEPT_JSON } }];

export type Found = { row: GrowthRow; notes: string[] };
export type Progress = (message: string) => void;

export const count = (n: number) => n.toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** A side whose connections all carry one cookie, made once. */
export const oneCookie = (server: Server, requests: LoadRequest[], cookie: string, pids = [server.pid]): Side => ({
  url: server.url,
  requests,
  cookies: async () => [cookie],
  pids,
});

/** A shopper with a 3-line cart on each server, and GET /cart measured on both; `pids`: whose CPU counts, per server. */
async function measureGetCart(servers: [Server, Server], pids: [number[], number[]], options: BenchOptions) {
  const side = async (server: Server, cpu: number[]) => {
    const [cookie = ''] = await newSessions(server.url, '/cart', 1, true);
    return oneCookie(server, getCart, cookie, cpu);
  };
  const [base, grown] = await Promise.all([side(servers[0], pids[0]), side(servers[1], pids[1])]);
  return measurePair({ base, grown, connections: CONNECTIONS }, options);
}

export async function memorystoreSessions(build: Build, options: BenchOptions, progress: Progress): Promise<Found> {
  progress(`Growth: two stores holding ${MEMORY_HELD.map(count).join(' and ')} sessions (memorystore)…`);
  const script = build.script('growth-server');
  const probe = (n: number) => join(build.dir, `probe-growth-${n}.json`);
  const servers = await Promise.all(
    MEMORY_HELD.map((n) =>
      startTarget(build, 'store', { script, probeFile: probe(n), env: { BENCH_HELD_SESSIONS: String(n) } }),
    ),
  );
  try {
    const [small, large] = servers;
    if (small === undefined || large === undefined) throw new Error('a memorystore server is missing');
    const result = await measureGetCart([small, large], [[small.pid], [large.pid]], options);
    const more = MEMORY_HELD[1] - MEMORY_HELD[0];
    const heap =
      (await heapUsedBytes(large.pid, probe(MEMORY_HELD[1]))) - (await heapUsedBytes(small.pid, probe(MEMORY_HELD[0])));
    const rss = rssBytes(large.pid) - rssBytes(small.pid);
    const note =
      `memorystore: the store holding ${count(MEMORY_HELD[1])} sessions (3-line carts) has ${mb(heap)} more heap ` +
      `after a full GC than the one holding ${count(MEMORY_HELD[0])}, ${count(Math.round(heap / more))} B per ` +
      `session (RSS: ${mb(rss)} more, ${count(Math.round(rss / more))} B per session)`;
    const row = {
      grows: 'sessions held, memorystore',
      request: 'GET /cart JSON, 1 cookie',
      sizes: MEMORY_HELD,
      ...result,
    };
    return { row, notes: [note] };
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** undefined when there is no redis-server to start a private one: the shared Redis is never filled. */
export async function redisSessions(
  build: Build,
  options: BenchOptions,
  progress: Progress,
): Promise<Found | undefined> {
  if (!redisServerInstalled()) return undefined;
  const sizes = options.redisHeldSessions;
  const running: { stop: () => Promise<void> }[] = [];
  try {
    const small = await redisSide(build, sizes[0], progress, running);
    const large = await redisSide(build, sizes[1], progress, running);
    const result = await measureGetCart([small.server, large.server], [small.pids, large.pids], options);
    const request = 'GET /cart JSON, 1 cookie (store + Redis CPU)';
    return { row: { grows: 'sessions held, Redis', request, sizes, ...result }, notes: [large.note] };
  } finally {
    for (const part of running.reverse()) await part.stop(); // each store before its Redis
  }
}

/**
 * A private redis-server holding `held` copies of a session its store wrote just before,
 * and that store; both go on `running`, to be stopped by the caller.
 */
async function redisSide(build: Build, held: number, progress: Progress, running: { stop: () => Promise<void> }[]) {
  const redis = await PrivateRedis.start();
  running.push(redis);
  process.once('exit', () => void redis.stop()); // stop() kills synchronously first
  const server = await startTarget(build, 'redis', { redisUrl: redis.url });
  running.push(server);
  if (redis.pid === undefined) throw new Error('the private redis-server has no pid');
  const [template = ''] = await newSessions(server.url, '/cart', 1, true);
  progress(`Growth: filling a private Redis with ${count(held)} sessions…`);
  const filled = await fillRedis(redis.url, sessionKey(template) ?? '', held);
  const note =
    `Redis: ${count(held)} sessions written in ${filled.seconds.toFixed(1)} s (pipelined SET); used_memory grew ` +
    `${mb(filled.usedMemoryGrowth)}, ${count(Math.round(filled.usedMemoryGrowth / held))} B per session; ` +
    `MEMORY USAGE of ${filled.sampled} session keys: ${count(Math.round(filled.sampledBytes))} B each on average`;
  return { server, pids: [server.pid, redis.pid], note };
}
