// `npm run bench:durability`: what each way of keeping sessions through a Redis failure
// costs an add (POST /cart/items, 50 cookies, 50 connections), side by side in one run:
// - no disk: Redis as the suites run it (`--save "" --appendonly no`), the baseline;
// - AOF: `appendonly yes`, `appendfsync everysec`, carts kept through a restart;
// - Sentinel: the store finds the primary through three sentinels, one replica beside it;
// - Sentinel + REDIS_WAIT_REPLICAS=1: each write answered once the replica has it.
// Every setup is a private redis-server (and redis-sentinel) on free ports; the stores are
// the production build, stocked so that adds never meet a cart limit. The setups take
// turns, slice by slice, so a busy moment of the machine lands on all of them alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SentinelGroup } from '../helpers/redis-sentinel.js';
import { PrivateRedis } from '../helpers/redis-server.js';
import { buildAll } from './build.js';
import { type Load, type LoadRequest, requestsPerSec, type Slice, slice } from './load.js';
import type { Server } from './processes.js';
import { CART_PRODUCTS, JSON_HEADERS, newSessions, PROXY_HEADERS } from './shopper.js';
import { startTarget } from './targets.js';

const CONNECTIONS = 50;
const ROUNDS = process.argv.includes('--quick') ? 3 : 8;
/** Per slice: 12 adds a connection, so one line stays far below CART_MAX_PER_LINE=999. */
const PER_SLICE = CONNECTIONS * 12;

const addOne: LoadRequest[] = [
  {
    method: 'POST',
    path: '/cart/items',
    headers: { ...PROXY_HEADERS, ...JSON_HEADERS },
    body: JSON.stringify({ productId: CART_PRODUCTS[0], quantity: 1 }),
  },
];

type Setup = { name: string; env: Record<string, string>; stop: () => Promise<void> };

async function setups(): Promise<Setup[]> {
  const plain = await PrivateRedis.start();
  const dir = mkdtempSync(join(tmpdir(), 'shop-bench-aof-'));
  const aof = await PrivateRedis.start(['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir]);
  const group = await SentinelGroup.start();
  const sentinel = { REDIS_SENTINELS: group.sentinelList, REDIS_SENTINEL_NAME: 'shop' };
  process.once('exit', () => {
    void plain.stop();
    void aof.stop();
    void group.stop();
  });
  return [
    { name: 'no disk (baseline)', env: { REDIS_URL: plain.url }, stop: () => plain.stop() },
    {
      name: 'AOF, appendfsync everysec',
      env: { REDIS_URL: aof.url },
      stop: async () => {
        await aof.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    },
    { name: 'Sentinel, 1 replica', env: sentinel, stop: async () => {} },
    {
      name: 'Sentinel + REDIS_WAIT_REPLICAS=1',
      env: { ...sentinel, REDIS_WAIT_REPLICAS: '1' },
      stop: () => group.stop(),
    },
  ];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function main(): Promise<void> {
  const build = await buildAll();
  const all = await setups();
  const servers: Server[] = [];
  const loads: Load[] = [];
  for (const setup of all) {
    const server = await startTarget(build, 'stocked', { env: setup.env });
    servers.push(server);
    const cookies = await newSessions(server.url, '/cart', CONNECTIONS, true);
    loads.push({ url: server.url, requests: addOne, cookies, connections: CONNECTIONS });
  }
  const slices: Slice[][] = all.map(() => []);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, load] of loads.entries()) slices[i]?.push(await slice(load, PER_SLICE, servers[i]?.pid));
      process.stdout.write(`round ${round + 1} of ${ROUNDS}\r`);
    }
  } finally {
    for (const server of servers) await server.stop();
    for (const setup of all) await setup.stop();
  }
  const rows = all.map((setup, i) => {
    const taken = (slices[i] ?? []).slice(1); // the first round warms up
    const latencies = taken.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
    const rate = taken.reduce((sum, s) => sum + requestsPerSec(s), 0) / taken.length;
    const failed = taken.reduce((sum, s) => sum + s.non2xx + s.errors, 0);
    return {
      name: setup.name,
      rate,
      p50: percentile(latencies, 0.5) ?? 0,
      p99: percentile(latencies, 0.99) ?? 0,
      failed,
    };
  });
  const base = rows[0];
  console.log(`\nAn add (POST /cart/items), ${CONNECTIONS} cookies and connections, ${ROUNDS - 1} slices each:\n`);
  console.log('| Redis | adds/s | × baseline | p50 ms | p99 ms | not 2xx |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const ratio = base && base.rate > 0 ? (row.rate / base.rate).toFixed(2) : '—';
    console.log(
      `| ${row.name} | ${Math.round(row.rate)} | ${ratio}× | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.failed} |`,
    );
  }
}

await main();
