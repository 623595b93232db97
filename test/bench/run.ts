// npm run bench: the store against bare Express (B0) and a bare express-session
// server (B1), side by side in one run, reported as ratios (the machine is shared
// and noisy, so absolute figures mean little). Builds the store for production,
// starts every server in a child process on 127.0.0.1, runs the scenarios
// interleaved with autocannon (throughput.ts), measures memory per session
// (memory.ts), then judges the performance targets (goals.ts): one PASS/FAIL line
// each. Then the catalog at 28 / 1,000 / 100,000 products (catalog-scale.ts), and
// last the cost of a request as the work behind it grows (growth.ts): sessions held,
// cart lines, order history. `--quick` (options.ts) runs the same, shorter. Exits non-zero when a target
// fails, a server does not start or a scenario sees errors, non-2xx answers or no
// answers at all.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type Build, buildAll } from './build.js';
import { runCatalogScale } from './catalog-scale.js';
import { judge } from './goals.js';
import { runGrowth } from './growth.js';
import { type MemoryResult, measureMemory } from './memory.js';
import { type BenchOptions, benchOptions } from './options.js';
import { printReport } from './print.js';
import type { Server } from './processes.js';
import { benchRedis, deleteSessions } from './redis.js';
import { scenarios, type Target } from './scenarios.js';
import { SESSION_PATH, startTarget } from './targets.js';
import { type Row, runScenarios } from './throughput.js';

// A safety net for a hung run, not the budget: the default run takes 6–7 minutes (over
// 11 with the machine loaded to a load average of 15).
const GIVE_UP_AFTER_MS = 15 * 60_000;

const started = Date.now();
const progress = (message: string) =>
  console.error(`${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${message}`);

async function main(): Promise<number> {
  // Ctrl-C: exit normally, so the 'exit' handlers stop the servers and remove the build.
  process.once('SIGINT', () => process.exit(130));
  setTimeout(() => {
    console.error(`The bench ran for more than ${GIVE_UP_AFTER_MS / 60_000} minutes: giving up.`);
    process.exit(2);
  }, GIVE_UP_AFTER_MS).unref();
  const options = benchOptions();
  const loadAtStart = loadavg()[0] ?? 0;
  if (options.quick) progress('Quick run (--quick): fewer, shorter slices.');

  progress('Building the store for production (tsc -p tsconfig.build.json, into a temp dir)…');
  const build = await buildAll();
  const servers = new Map<Target, Server>();
  const sharedRedisCookies: string[] = [];
  const redis = await benchRedis();
  try {
    if (redis.url === undefined) progress(`Skipping the Redis scenarios: ${redis.skip}.`);
    progress('Starting the servers…');
    for (const target of ['bare', 'session', 'session-classes', 'store', 'stocked', 'redis'] as const) {
      if (target === 'redis' && redis.url === undefined) continue;
      servers.set(target, await startTarget(build, target, { redisUrl: redis.url }));
    }
    const chosen = scenarios.filter((s) => !(options.quick && s.fullRunOnly));
    const rows = await runScenarios(chosen, servers, options, progress, (target, cookies) => {
      if (target === 'redis' && redis.url !== undefined && redis.kind === 'shared') sharedRedisCookies.push(...cookies);
    });
    // Idle servers would only add noise to the memory figures.
    for (const server of servers.values()) await server.stop();
    const memory = await memoryPerSession(build, options);

    const redisSkip = redis.url === undefined ? redis.skip : undefined;
    const missing = (id: string) =>
      scenarios.find((s) => s.id === id)?.target === 'redis' && redisSkip !== undefined ? redisSkip : undefined;
    const verdicts = judge(rows, memory, missing);
    const redisText = redis.url === undefined ? `none (${redis.skip})` : `${redis.kind} redis-server at ${redis.url}`;
    printReport({ rows, memory, verdicts, options, redis: redisText, loadAtStart });

    // The catalog at 28, 1,000 and 100,000 products (catalog-scale.ts): its own servers, after the others stopped.
    const importer = join(build.dir, 'dist', 'import-catalog.js');
    const catalogPass = await runCatalogScale({ store: build.storeScript, importer, nodeArgs: [] }, progress);
    // Sessions held, cart lines and order history at 1× and 100× (growth.ts): its own servers and Redis too.
    const growthPass = await runGrowth(build, options, progress);

    const problems = countProblems(rows, memory);
    const sections = [catalogPass, growthPass];
    const failed = verdicts.filter((v) => !v.pass).length + sections.filter((pass) => !pass).length;
    if (problems > 0) console.error(`\n${problems} errors, non-2xx answers or empty runs: failing the bench.`);
    if (failed > 0)
      console.error(`${problems > 0 ? '' : '\n'}${failed} of ${verdicts.length + sections.length} targets failed.`);
    progress(`Done${options.quick ? ' (quick run)' : ''}.`);
    return problems > 0 || failed > 0 ? 1 : 0;
  } finally {
    for (const server of servers.values()) await server.stop();
    if (redis.url !== undefined && sharedRedisCookies.length > 0) await deleteSessions(sharedRedisCookies, redis.url);
    if (redis.url !== undefined) await redis.stop();
    build.remove();
  }
}

/**
 * Fresh servers with the heap probe, so earlier scenarios' sessions do not count.
 * Both run at once: speed does not matter here, and each is measured on its own.
 * The store keeps at most SESSION_EMPTY_STORE_MAX (10,000) empty sessions and evicts
 * the oldest beyond that: raised here, or the figure would divide the heap of 10,000
 * stored sessions by the 20,000 created. B1's memorystore holds 100,000 already.
 */
async function memoryPerSession(build: Build, options: BenchOptions): Promise<MemoryResult[]> {
  progress(`Memory: ${options.memorySessions.toLocaleString('en-US')} new sessions on fresh servers…`);
  return Promise.all(
    (['session', 'store'] as const).map(async (target) => {
      const probeFile = `${build.dir}/probe-${target}.json`;
      const env = { SESSION_EMPTY_STORE_MAX: '1000000' };
      const server = await startTarget(build, target, { probeFile, env });
      try {
        const counts = { sessions: options.memorySessions, warmup: options.memoryWarmupSessions };
        return await measureMemory(server, SESSION_PATH[target], counts, probeFile);
      } finally {
        await server.stop();
      }
    }),
  );
}

function countProblems(rows: Row[], memory: MemoryResult[]): number {
  let problems = memory.reduce((sum, r) => sum + r.problems, 0);
  for (const { scenario, result, warmupProblems } of rows) {
    if (warmupProblems > 0)
      console.error(`#${scenario.id}: ${warmupProblems} errors or non-2xx answers in the warm-up`);
    if (result.total === 0) console.error(`#${scenario.id}: no request completed`);
    problems += result.non2xx + result.errors + warmupProblems + (result.total === 0 ? 1 : 0);
  }
  return problems;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
