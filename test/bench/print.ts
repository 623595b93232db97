// What the bench prints on stdout once everything is measured: the machine, the
// throughput and memory tables (text, then Markdown for docs/performance.md), and last the
// PASS/FAIL line of every target, so the verdict is the last thing on the screen.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { CPU_TICK_MS } from './cpu.js';
import type { Verdict } from './goals.js';
import type { MemoryResult } from './memory.js';
import type { BenchOptions } from './options.js';
import { asMarkdown, asText, memoryTable, throughputTable } from './report.js';
import { CONNECTIONS, type Row } from './throughput.js';

export type Printed = {
  rows: Row[];
  memory: MemoryResult[];
  verdicts: Verdict[];
  options: BenchOptions;
  redis: string;
  loadAtStart: number;
};

export function printReport({ rows, memory, verdicts, options, redis, loadAtStart }: Printed): void {
  const { rounds, secondsEach, quick } = options;
  const throughput = throughputTable(rows);
  const perSession = memoryTable(memory);
  const slices = `${rounds} slices of about ${(secondsEach / rounds).toFixed(1)} s`;
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(
    `\nMachine: ${availableParallelism()} CPUs (${model}), Node ${process.version}; load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]?.toFixed(1)} at the end. Redis: ${redis}.`,
  );
  if (quick) console.log('QUICK RUN (--quick): fewer, shorter slices; the ratios are indicative only.');
  console.log(
    `\nThroughput (${CONNECTIONS} connections unless the title says otherwise; each scenario ${slices}, interleaved)`,
  );
  console.log(
    `CPU µs/req: the server process's user + system time per answered request, from /proc (${CPU_TICK_MS} ms ticks).\n`,
  );
  console.log(asText(throughput));
  console.log('\nMemory per stored session (new sessions; the first row is the baseline). Heap is measured after a');
  console.log(
    'full GC and is the stable figure; RSS includes GC and allocator headroom and moves a lot between runs.\n',
  );
  console.log(asText(perSession));
  console.log('\nMarkdown:\n');
  console.log(asMarkdown(throughput));
  console.log('');
  console.log(asMarkdown(perSession));
  console.log(
    `\nTargets${quick ? ' (QUICK RUN: indicative; `npm run bench` for figures to quote)' : ''}: req/s ratios to B1 (#2) in this run; CPU = B1's CPU per request ÷ the scenario's.\n`,
  );
  for (const { line } of verdicts) console.log(line);
}
