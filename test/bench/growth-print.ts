// The growth section as printed: one table row per way the work grows, the notes on
// memory, then a PASS/FAIL line each, in the style of the catalog scale section.
import { CONNECTIONS } from './growth-measure.js';
import type { Measurement } from './load.js';
import { asText } from './report.js';

export const TARGET_RATIO = 1.5;

export type GrowthRow = {
  grows: string;
  request: string;
  /** The work at its small size (1×) and its large one (100×, or 50× for the cart's lines). */
  sizes: readonly [number, number];
  base: Measurement;
  grown: Measurement;
  problems: number;
};

const count = (n: number) => n.toLocaleString('en-US');
const ratioOf = (row: GrowthRow) => row.grown.cpuUsPerRequest / row.base.cpuUsPerRequest;
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');

/** Prints the section; true when every row met the target with every answer 2xx. */
export function printGrowth(rows: GrowthRow[], notes: string[], quick: boolean): boolean {
  console.log(`\nGrowth: the cost of one request as the work grows${quick ? ' (QUICK RUN: indicative)' : ''}.`);
  console.log(
    `CPU µs/req: CPU time of the store (and of Redis where it holds the sessions) per answer; ${CONNECTIONS} connections,\n` +
      'the small and the large side measured in turn, slice by slice. Target: large ≤ 1.5× small.\n',
  );
  console.log(
    asText({
      headers: [
        'what grows',
        'request',
        'small',
        'large',
        'µs/req small',
        'µs/req large',
        'CPU ratio',
        'req/s small',
        'req/s large',
      ],
      rightAligned: new Set([2, 3, 4, 5, 6, 7, 8]),
      rows: rows.map((row) => [
        row.grows,
        row.request,
        count(row.sizes[0]),
        count(row.sizes[1]),
        String(Math.round(row.base.cpuUsPerRequest)),
        String(Math.round(row.grown.cpuUsPerRequest)),
        times(ratioOf(row)),
        count(Math.round(row.base.requestsPerSec)),
        count(Math.round(row.grown.requestsPerSec)),
      ]),
    }),
  );
  if (notes.length > 0) console.log('');
  for (const note of notes) console.log(note);
  console.log('');
  let pass = true;
  for (const row of rows) {
    const ratio = ratioOf(row);
    const ok = ratio <= TARGET_RATIO && row.problems === 0;
    pass &&= ok;
    const problems = row.problems > 0 ? `, ${row.problems} answers not 2xx` : '';
    console.log(
      `${ok ? 'PASS' : 'FAIL'}  growth ${row.grows}, ${row.request}: CPU per request at ${count(row.sizes[1])} = ` +
        `${times(ratio)} that at ${count(row.sizes[0])} (target ≤ ${TARGET_RATIO}×${problems}); ` +
        `req/s ${times(row.grown.requestsPerSec / row.base.requestsPerSec)}`,
    );
  }
  return pass;
}
