// Small clocks for the fault suites: keep doing something for a while, wait until
// something holds. Neither asserts a wall-clock limit; they only bound the waiting.
import type { Answer } from './client.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `step` back to back until `ms` have passed (the last step may end later). */
export async function repeatFor(ms: number, step: (round: number) => Promise<unknown>): Promise<void> {
  const until = Date.now() + ms;
  for (let round = 0; Date.now() < until; round++) await step(round);
}

/** Polls `probe` until it returns true; throws, saying what was awaited and the last answer, after `timeoutMs`. */
export async function eventually(what: string, timeoutMs: number, probe: () => Promise<unknown>) {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    const outcome = await probe();
    if (outcome === true) return;
    last = outcome;
    await sleep(100);
  }
  throw new Error(`not ${what} within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** The highest latency among answers, for the report line. */
export function p100(answers: Answer[]): number {
  return answers.reduce((max, a) => Math.max(max, a.ms), 0);
}
