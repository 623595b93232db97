// One row of the growth section: the same requests against the work at 1× and at 100×,
// in slices taken in turn (1×, 100×, 1×, …) so load from elsewhere on the machine lands
// on both alike. The cost of a request is the CPU time the processes serving it spent
// (the store, and the redis-server holding the sessions where there is one), read from
// /proc around each slice and divided by the answers; req/s and p99 are kept beside it.
import { cpuSeconds } from './cpu.js';
import { combine, type Load, type LoadRequest, type Measurement, requestsPerSec, type Slice, slice } from './load.js';
import type { BenchOptions } from './options.js';

/** Requests in flight on each side: enough to keep a store busy, few enough to queue little on one cookie. */
export const CONNECTIONS = 10;

export type Side = {
  url: string;
  requests: LoadRequest[];
  /** The cookies for one slice's connections: the same each time, or fresh ones when a slice uses them up. */
  cookies: () => Promise<string[]>;
  /** Whose CPU a request costs. */
  pids: number[];
};

export type Pair = {
  base: Side;
  grown: Side;
  connections: number;
  /** At most this many requests per connection in one slice (a growing cart must stay under its caps). */
  maxPerConnection?: number;
};

export type PairResult = { base: Measurement; grown: Measurement; problems: number };

type Timing = Pick<BenchOptions, 'rounds' | 'secondsEach' | 'warmupSeconds'>;

export async function measurePair(pair: Pair, { rounds, secondsEach, warmupSeconds }: Timing): Promise<PairResult> {
  const sides = [pair.base, pair.grown].map((side) => ({ side, rate: 0, slices: [] as Slice[] }));
  let problems = 0;
  const run = async (entry: (typeof sides)[number], seconds: number) => {
    const wanted = Math.ceil((entry.rate * seconds) / pair.connections);
    const perConnection = Math.max(1, Math.min(wanted, pair.maxPerConnection ?? Number.POSITIVE_INFINITY));
    const { url, requests, pids } = entry.side;
    const load: Load = { url, requests, cookies: await entry.side.cookies(), connections: pair.connections };
    const cpuBefore = totalCpu(pids);
    const result = await slice(load, perConnection * pair.connections);
    const measured = { ...result, cpuSeconds: totalCpu(pids) - cpuBefore };
    entry.rate = requestsPerSec(measured);
    problems += measured.non2xx + measured.errors;
    return measured;
  };
  for (const entry of sides) {
    await run(entry, 0); // only to learn the rate
    await run(entry, warmupSeconds);
  }
  for (let round = 0; round < rounds; round++) {
    for (const entry of sides) entry.slices.push(await run(entry, secondsEach / rounds));
  }
  const [base, grown] = sides.map((entry) => combine(entry.slices));
  if (base === undefined || grown === undefined) throw new Error('a growth pair lost a side');
  return { base, grown, problems };
}

function totalCpu(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}
