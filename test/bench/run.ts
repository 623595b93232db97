// npm run bench: the store against bare Express and a bare express-session server,
// side by side in one run, reported as ratios (the machine is shared and noisy, so
// absolute figures mean little). Builds the store for production, starts every
// server in a child process on 127.0.0.1, runs the scenarios interleaved with
// autocannon (throughput.ts), then measures memory per session (memory.ts).
// Exits non-zero when a server does not start or a scenario sees errors, non-2xx
// answers or no answers at all.
import { type Build, buildAll } from './build.js';
import { type MemoryResult, measureMemory } from './memory.js';
import type { Server } from './processes.js';
import { BENCH_REDIS_URL, deleteSessions, redisUnavailable } from './redis.js';
import { asMarkdown, asText, memoryTable, throughputTable } from './report.js';
import { scenarios, type Target } from './scenarios.js';
import { SESSION_PATH, startTarget } from './targets.js';
import { CONNECTIONS, ROUNDS, type Row, runScenarios } from './throughput.js';

const SECONDS_EACH = Number(process.env.BENCH_SECONDS) || 5;
const MEMORY_SESSIONS = 20_000;
const GIVE_UP_AFTER_MS = 5 * 60_000;

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

  progress('Building the store for production (tsc -p tsconfig.build.json, into a temp dir)…');
  const build = await buildAll();
  const servers = new Map<Target, Server>();
  const redisCookies: string[] = [];
  try {
    const redisSkip = await redisUnavailable();
    if (redisSkip !== undefined) progress(`Skipping the Redis scenarios: ${redisSkip}.`);
    progress('Starting the servers…');
    for (const target of ['bare', 'session', 'store', 'redis'] as const) {
      if (target === 'redis' && redisSkip !== undefined) continue;
      servers.set(target, await startTarget(build, target, { redisUrl: BENCH_REDIS_URL }));
    }
    const rows = await runScenarios(scenarios, servers, SECONDS_EACH, progress, (target, cookies) => {
      if (target === 'redis') redisCookies.push(...cookies);
    });
    // Idle servers would only add noise to the memory figures.
    for (const server of servers.values()) await server.stop();
    const memory = await memoryPerSession(build);

    printReport(rows, memory, redisSkip);
    const problems = countProblems(rows, memory);
    if (problems > 0) console.error(`\n${problems} errors, non-2xx answers or empty runs: failing the bench.`);
    return problems > 0 ? 1 : 0;
  } finally {
    for (const server of servers.values()) await server.stop();
    if (redisCookies.length > 0) await deleteSessions(redisCookies);
    build.remove();
  }
}

/**
 * Fresh servers with the heap probe, so earlier scenarios' sessions do not count.
 * Both run at once: speed does not matter here, and each is measured on its own.
 */
async function memoryPerSession(build: Build): Promise<MemoryResult[]> {
  progress(`Memory: ${MEMORY_SESSIONS.toLocaleString('en-US')} new sessions on fresh servers…`);
  return Promise.all(
    (['session', 'store'] as const).map(async (target) => {
      const probeFile = `${build.dir}/probe-${target}.json`;
      const server = await startTarget(build, target, { probeFile });
      try {
        return await measureMemory(server, SESSION_PATH[target], MEMORY_SESSIONS, probeFile);
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

function printReport(rows: Row[], memory: MemoryResult[], redisSkip: string | undefined) {
  const throughput = throughputTable(rows);
  const perSession = memoryTable(memory);
  const slices = `${ROUNDS} slices of about ${SECONDS_EACH / ROUNDS} s`;
  console.log(
    `\nThroughput (${CONNECTIONS} connections; each scenario ${slices}, interleaved; Node ${process.version})\n`,
  );
  console.log(asText(throughput));
  if (redisSkip !== undefined) console.log(`\n#8 skipped: ${redisSkip}.`);
  console.log('\nMemory per stored session (new sessions; the first row is the baseline). Heap is measured after a');
  console.log(
    'full GC and is the stable figure; RSS includes GC and allocator headroom and moves a lot between runs.\n',
  );
  console.log(asText(perSession));
  console.log('\nMarkdown:\n');
  console.log(asMarkdown(throughput));
  console.log('');
  console.log(asMarkdown(perSession));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
