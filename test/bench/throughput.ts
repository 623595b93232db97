// The throughput scenarios: a warm-up each, then `rounds` rounds in which every
// scenario runs one slice, so a burst of load from someone else on the machine
// lands on all scenarios alike instead of on whichever one was running. A slice is
// a number of requests sized from the scenario's last rate to take about
// secondsEach / rounds, and it waits for every answer: autocannon's timed runs end
// by hanging up on requests in flight, and the store keeps a session locked for
// good when a request queued on its lock loses its client (src/session/store/lock.ts
// listens for 'close' only after the wait). The stuck requests would then time out
// into 503s in the middle of later slices. Each slice still gets fresh sessions, so
// a problem in one slice cannot spill into the next. Every slice also reads the
// server's CPU time (load.ts), the steadier figure on a shared machine.
import { combine, type Load, type Measurement, requestsPerSec, type Slice, slice } from './load.js';
import type { BenchOptions } from './options.js';
import type { Server } from './processes.js';
import type { Scenario, Target } from './scenarios.js';
import { newSessions } from './shopper.js';
import { SESSION_PATH } from './targets.js';

export const CONNECTIONS = 50;
const MIN_PER_CONNECTION = 1; // autocannon refuses fewer requests than connections

export type Row = { scenario: Scenario; result: Measurement; warmupProblems: number };

export async function runScenarios(
  scenarios: Scenario[],
  servers: Map<Target, Server>,
  { rounds, secondsEach, warmupSeconds }: Pick<BenchOptions, 'rounds' | 'secondsEach' | 'warmupSeconds'>,
  progress: (message: string) => void,
  onSessions: (target: Target, cookies: string[]) => void,
): Promise<Row[]> {
  const runnable = scenarios.flatMap((scenario) => {
    const server = servers.get(scenario.target);
    return server ? [{ scenario, server, slices: [] as Slice[], warmupProblems: 0, rate: 0 }] : [];
  });
  const runSlice = async (entry: (typeof runnable)[number], amount: number) => {
    const cookies = await sessionsFor(entry.scenario, entry.server);
    onSessions(entry.scenario.target, cookies);
    const connections = connectionsOf(entry.scenario);
    const load: Load = { url: entry.server.url, requests: entry.scenario.requests, cookies, connections };
    const result = await slice(load, amount, entry.server.pid);
    entry.rate = requestsPerSec(result);
    return result;
  };

  const amountFor = (entry: (typeof runnable)[number], seconds: number) =>
    connectionsOf(entry.scenario) * perConnection(entry.scenario, entry.rate * seconds);

  progress(`Warming up ${runnable.length} scenarios, about ${warmupSeconds} s each…`);
  for (const entry of runnable) {
    const probe = await runSlice(entry, amountFor(entry, 0)); // only to learn the rate
    const warmup = await runSlice(entry, amountFor(entry, warmupSeconds));
    entry.warmupProblems = probe.non2xx + probe.errors + warmup.non2xx + warmup.errors;
  }
  const sliceSeconds = secondsEach / rounds;
  for (let round = 1; round <= rounds; round++) {
    progress(`Round ${round}/${rounds}: every scenario for about ${sliceSeconds.toFixed(1)} s…`);
    for (const entry of runnable) entry.slices.push(await runSlice(entry, amountFor(entry, sliceSeconds)));
  }
  return runnable.map(({ scenario, slices, warmupProblems }) => ({
    scenario,
    result: combine(slices),
    warmupProblems,
  }));
}

/**
 * Requests per connection for about `wanted` requests in all. autocannon splits a
 * slice's amount evenly over the connections; whole rounds of the scenario's
 * requests keep a multi-step scenario's mix the same in every slice, and
 * `maxPerConnection` keeps a growing session under the store's limits.
 */
function perConnection(scenario: Scenario, wanted: number): number {
  const cycle = scenario.requests.length;
  const even = Math.max(MIN_PER_CONNECTION, Math.ceil(wanted / connectionsOf(scenario)));
  const rounded = Math.ceil(even / cycle) * cycle;
  return Math.min(rounded, scenario.maxPerConnection ?? Number.POSITIVE_INFINITY);
}

export function connectionsOf(scenario: Scenario): number {
  return scenario.connections ?? CONNECTIONS;
}

/** The cookies a slice's connections carry: none, one shared, or one per connection. */
function sessionsFor(scenario: Scenario, server: Server): Promise<string[]> {
  if (scenario.sessions === 'none') return Promise.resolve([]);
  const count = scenario.sessions === 'one' ? 1 : connectionsOf(scenario);
  return newSessions(server.url, SESSION_PATH[scenario.target], count, scenario.cart);
}
