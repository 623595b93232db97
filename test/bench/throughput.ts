// The throughput scenarios: a warm-up each, then ROUNDS rounds in which every
// scenario runs one slice, so a burst of load from someone else on the machine
// lands on all scenarios alike instead of on whichever one was running. A slice is
// a number of requests sized from the scenario's last rate to take about
// secondsEach / ROUNDS, and it waits for every answer: autocannon's timed runs end
// by hanging up on requests in flight, and the store keeps a session locked for
// good when a request queued on its lock loses its client (src/session/lock.ts
// listens for 'close' only after the wait). The stuck requests would then time out
// into 503s in the middle of later slices. Each slice still gets fresh sessions, so
// a problem in one slice cannot spill into the next.
import { combine, type Load, type Measurement, requestsPerSec, type Slice, slice } from './load.js';
import type { Server } from './processes.js';
import type { Scenario, Target } from './scenarios.js';
import { newSessions } from './shopper.js';
import { SESSION_PATH } from './targets.js';

export const CONNECTIONS = 50;
export const ROUNDS = 5;
const MIN_REQUESTS = 2 * CONNECTIONS;
const WARMUP_SECONDS = 1;

export type Row = { scenario: Scenario; result: Measurement; warmupProblems: number };

export async function runScenarios(
  scenarios: Scenario[],
  servers: Map<Target, Server>,
  secondsEach: number,
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
    const load: Load = { url: entry.server.url, requests: entry.scenario.requests, cookies, connections: CONNECTIONS };
    const result = await slice(load, amount);
    entry.rate = requestsPerSec(result);
    return result;
  };

  const amountFor = (entry: (typeof runnable)[number], seconds: number) =>
    Math.max(MIN_REQUESTS, Math.round(entry.rate * seconds));

  progress(`Warming up ${runnable.length} scenarios, about ${WARMUP_SECONDS} s each…`);
  for (const entry of runnable) {
    const probe = await runSlice(entry, MIN_REQUESTS); // only to learn the rate
    const warmup = await runSlice(entry, amountFor(entry, WARMUP_SECONDS));
    entry.warmupProblems = probe.non2xx + probe.errors + warmup.non2xx + warmup.errors;
  }
  const sliceSeconds = secondsEach / ROUNDS;
  for (let round = 1; round <= ROUNDS; round++) {
    progress(`Round ${round}/${ROUNDS}: every scenario for about ${sliceSeconds} s…`);
    for (const entry of runnable) entry.slices.push(await runSlice(entry, amountFor(entry, sliceSeconds)));
  }
  return runnable.map(({ scenario, slices, warmupProblems }) => ({
    scenario,
    result: combine(slices),
    warmupProblems,
  }));
}

/** The cookies a slice's connections carry: none, one shared, or one per connection. */
function sessionsFor(scenario: Scenario, server: Server): Promise<string[]> {
  if (scenario.sessions === 'none') return Promise.resolve([]);
  const count = scenario.sessions === 'one' ? 1 : CONNECTIONS;
  return newSessions(server.url, SESSION_PATH[scenario.target], count, scenario.cart);
}
