// Memory per stored session: N cookieless requests each leave one new session in
// the server's store; RSS (from /proc) and heap after a full GC (from heap-probe)
// are read before and after, on a fresh server that has already been warmed up.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Load, slice } from './load.js';
import { heapUsedBytes, rssBytes, type Server } from './processes.js';
import { ACCEPT_JSON, PROXY_HEADERS } from './shopper.js';

export type MemoryResult = {
  name: string;
  sessions: number;
  rssGrowth: number;
  heapGrowth: number;
  problems: number;
};

// Right after a burst the store still holds some per-request memory for a moment
// (~7-13 MB that a GC one second later no longer finds): let it settle first.
const SETTLE_MS = 1_000;

/**
 * Creates `counts.warmup` sessions, then `counts.sessions` more with `GET path` (no
 * cookie), and reports the growth over the second batch. `probeFile` is the
 * BENCH_PROBE_FILE the server was started with.
 */
export async function measureMemory(
  server: Server,
  path: string,
  counts: { sessions: number; warmup: number },
  probeFile: string,
) {
  const load: Load = {
    url: server.url,
    requests: [{ method: 'GET', path, headers: { ...PROXY_HEADERS, ...ACCEPT_JSON } }],
    cookies: [],
    connections: 50,
  };
  const warmup = await slice(load, counts.warmup);
  await sleep(SETTLE_MS);
  const heapBefore = await heapUsedBytes(server.pid, probeFile);
  const rssBefore = rssBytes(server.pid);
  const run = await slice(load, counts.sessions);
  await sleep(SETTLE_MS);
  const heapAfter = await heapUsedBytes(server.pid, probeFile);
  const rssAfter = rssBytes(server.pid);
  const result: MemoryResult = {
    name: server.name,
    sessions: run.latenciesMs.length,
    rssGrowth: rssAfter - rssBefore,
    heapGrowth: heapAfter - heapBefore,
    problems: warmup.non2xx + warmup.errors + run.non2xx + run.errors,
  };
  return result;
}
