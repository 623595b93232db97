// The performance targets, judged on this run's figures: one PASS or FAIL line per
// target. Throughput targets are req/s ratios to B1 (#2, express-session +
// memorystore on one cookie) measured in the same run, interleaved: absolute req/s
// on a shared machine mean little, ratios within one run hold. The CPU ratio is
// printed beside each (B1's CPU per request ÷ the scenario's, so it reads like the
// req/s ratio: 0.5× = twice B1's server CPU per request); it moves less with the
// machine's other load, so when the two disagree the CPU figure is the one to trust.
import type { Measurement } from './load.js';
import type { MemoryResult } from './memory.js';
import type { Row } from './throughput.js';

/** B1: every throughput target is a ratio to this scenario. */
export const BASELINE_ID = '2';

type Goal =
  | { kind: 'rate'; title: string; scenario: string; atLeast: number }
  | { kind: 'p99'; title: string; scenario: string; vs: string; atMost: number }
  | { kind: 'heap'; title: string; server: string; atMostBytes: number };

const GOALS: Goal[] = [
  { kind: 'rate', title: 'catalog GET / HTML, 1 cookie', scenario: '3', atLeast: 0.6 },
  { kind: 'rate', title: 'cart GET /cart JSON, 1 cookie', scenario: '4', atLeast: 0.7 },
  { kind: 'rate', title: 'add to cart POST /cart/items, 50 cookies', scenario: '10', atLeast: 0.6 },
  { kind: 'rate', title: 'product page GET /products/<slug> HTML, 1 cookie', scenario: '9', atLeast: 0.6 },
  { kind: 'p99', title: 'Redis p99 ÷ memorystore p99, 50 in flight on 1 cookie', scenario: '13r', vs: '13', atMost: 2 },
  { kind: 'heap', title: 'heap per stored anonymous session', server: 'store', atMostBytes: 600 },
];

export type Verdict = { pass: boolean; line: string };

/** `missing`: why a scenario has no figures (Redis unavailable…), by scenario id. */
export function judge(rows: Row[], memory: MemoryResult[], missing: (id: string) => string | undefined): Verdict[] {
  const results = new Map(rows.map((row) => [row.scenario.id, row.result]));
  const measured = (id: string): Measurement | string => {
    const result = results.get(id);
    if (result !== undefined && result.total > 0) return result;
    return `#${id} not measured (${missing(id) ?? 'no request completed'})`;
  };
  return GOALS.map((goal) => {
    const width = Math.max(...GOALS.map((g) => g.title.length));
    const verdict = (pass: boolean, detail: string): Verdict => ({
      pass,
      line: `${pass ? 'PASS' : 'FAIL'}  ${goal.title.padEnd(width)}  ${detail}`,
    });
    if (goal.kind === 'heap') {
      const result = memory.find((m) => m.name === goal.server);
      if (result === undefined || result.sessions === 0) return verdict(false, `${goal.server}: not measured`);
      const bytes = result.heapGrowth / result.sessions;
      const base = memory.find((m) => m.name === 'session');
      const baseText = base && base.sessions > 0 ? `; B1: ${Math.round(base.heapGrowth / base.sessions)} B` : '';
      return verdict(bytes <= goal.atMostBytes, `${Math.round(bytes)} B (target ≤ ${goal.atMostBytes} B${baseText})`);
    }
    const baseId = goal.kind === 'rate' ? BASELINE_ID : goal.vs;
    const scenario = measured(goal.scenario);
    const base = measured(baseId);
    if (typeof scenario === 'string') return verdict(false, scenario);
    if (typeof base === 'string') return verdict(false, base);
    const rate = ratio(scenario.requestsPerSec, base.requestsPerSec);
    const cpu = ratio(base.cpuUsPerRequest, scenario.cpuUsPerRequest);
    const pair = `#${goal.scenario} ÷ #${baseId}`;
    if (goal.kind === 'rate') {
      const target = `target ≥ ${goal.atLeast.toFixed(2)}×`;
      return verdict(rate >= goal.atLeast, `${pair}: req/s ${times(rate)} (${target}); CPU ${times(cpu)}`);
    }
    const p99 = ratio(scenario.p99Ms, base.p99Ms);
    const detail = `${pair}: p99 ${times(p99)} (target ≤ ${goal.atMost.toFixed(2)}×); req/s ${times(rate)}, CPU ${times(cpu)}`;
    return verdict(p99 <= goal.atMost, detail);
  });
}

function ratio(value: number, base: number): number {
  return base > 0 && Number.isFinite(value) ? value / base : Number.NaN;
}

function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}
