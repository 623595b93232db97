// How long the bench runs. The default run is the one to quote (about 3–4 minutes);
// `--quick` (npm run bench -- --quick) is a ~1-minute smoke check of the whole
// pipeline, PASS/FAIL lines included, on fewer and shorter slices, fewer sessions
// for the memory figure, without the scenarios marked fullRunOnly, and with Redis
// holding 1,000 / 100,000 sessions in the growth section instead of 10,000 / 1,000,000:
// its ratios are noisier, so every report it prints says it is a quick run.

export type BenchOptions = {
  quick: boolean;
  /** Measured slices per scenario, interleaved round by round (throughput.ts). */
  rounds: number;
  /** Seconds of measured load per scenario, split over `rounds`. */
  secondsEach: number;
  /** Seconds of warm-up per scenario before the first round. */
  warmupSeconds: number;
  /** New sessions counted by the memory measurement (memory.ts), after its warm-up. */
  memorySessions: number;
  memoryWarmupSessions: number;
  /** The growth section (growth.ts): sessions a private Redis holds at 1× and at 100×. */
  redisHeldSessions: [number, number];
};

export function benchOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
  const quick = argv.includes('--quick');
  const unknown = argv.filter((arg) => arg !== '--quick');
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (only --quick is understood)`);
  const base: BenchOptions = quick
    ? {
        quick,
        rounds: 3,
        secondsEach: 1.5,
        warmupSeconds: 0.5,
        memorySessions: 10_000,
        memoryWarmupSessions: 2_000,
        redisHeldSessions: [1_000, 100_000],
      }
    : {
        quick,
        rounds: 5,
        secondsEach: 5,
        warmupSeconds: 1,
        memorySessions: 20_000,
        memoryWarmupSessions: 5_000,
        redisHeldSessions: [10_000, 1_000_000],
      };
  // BENCH_SECONDS stretches (or shortens) the measured load without touching the rest.
  const seconds = Number(env.BENCH_SECONDS);
  return seconds > 0 ? { ...base, secondsEach: seconds } : base;
}
