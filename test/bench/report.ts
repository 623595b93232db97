// The results as tables: aligned text for the terminal, then the same rows as
// Markdown for docs/performance.md. Ratios compare scenarios within this one run only. The
// CPU ratio is the compared scenario's server CPU per request ÷ this one's, so it
// reads like the req/s ratio (below 1: this one costs more per request).
import type { MemoryResult } from './memory.js';
import type { Row } from './throughput.js';

type Table = { headers: string[]; rows: string[][]; rightAligned: Set<number> };

export function throughputTable(rows: Row[]): Table {
  const byId = new Map(rows.map((row) => [row.scenario.id, row.result]));
  return {
    headers: [
      '#',
      'scenario',
      'req/s',
      'p99 ms',
      'CPU µs/req',
      'non-2xx',
      'errors',
      'vs',
      'req/s ratio',
      'CPU ratio',
      'p99 ratio',
    ],
    rightAligned: new Set([2, 3, 4, 5, 6, 8, 9, 10]),
    rows: rows.map(({ scenario, result }) => {
      const base = scenario.vs === undefined ? undefined : byId.get(scenario.vs);
      return [
        scenario.id,
        scenario.title,
        Math.round(result.requestsPerSec).toLocaleString('en-US'),
        milliseconds(result.p99Ms),
        Number.isFinite(result.cpuUsPerRequest) ? String(Math.round(result.cpuUsPerRequest)) : 'n/a',
        String(result.non2xx),
        String(result.errors),
        scenario.vs === undefined ? 'baseline' : `#${scenario.vs}`,
        base ? ratio(result.requestsPerSec, base.requestsPerSec) : '',
        base ? ratio(base.cpuUsPerRequest, result.cpuUsPerRequest) : '',
        base ? ratio(result.p99Ms, base.p99Ms) : '',
      ];
    }),
  };
}

/** The first result is the baseline the others are divided by. */
export function memoryTable(results: MemoryResult[]): Table {
  const base = results[0];
  const perSession = (bytes: number, r: MemoryResult) => bytes / Math.max(r.sessions, 1);
  return {
    headers: ['server', 'sessions', 'RSS growth', 'RSS / session', 'heap growth', 'heap / session', 'heap ratio'],
    rightAligned: new Set([1, 2, 3, 4, 5, 6]),
    rows: results.map((r) => [
      r.name,
      r.sessions.toLocaleString('en-US'),
      megabytes(r.rssGrowth),
      `${Math.round(perSession(r.rssGrowth, r))} B`,
      megabytes(r.heapGrowth),
      `${Math.round(perSession(r.heapGrowth, r))} B`,
      base ? ratio(perSession(r.heapGrowth, r), perSession(base.heapGrowth, base)) : '',
    ]),
  };
}

export function asText({ headers, rows, rightAligned }: Table): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function asMarkdown({ headers, rows, rightAligned }: Table): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  const rule = headers.map((_, i) => (rightAligned.has(i) ? '---:' : '---'));
  return [line(headers), `|${rule.join('|')}|`, ...rows.map(line)].join('\n');
}

function ratio(value: number, base: number): string {
  return base > 0 && Number.isFinite(value) ? `${(value / base).toFixed(2)}×` : 'n/a';
}

function milliseconds(ms: number): string {
  return ms >= 10 ? String(Math.round(ms)) : ms.toFixed(1);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
