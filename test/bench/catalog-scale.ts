// The catalog scale section of `npm run bench` (alone: `npm run bench:catalog`): the
// store with 28, 1,000 and 100,000 generated products (generate-catalog.ts), each
// imported with `catalog:import` into a fresh database and served by its own process,
// on SQLite and, when it is reachable, PostgreSQL. The same 160 distinct URLs
// (catalog-urls.ts) go to the three servers in turn, one request at a time, so load
// on the shared machine falls on all three alike. Target: median at 100,000 ≤ 1.5× the
// median at 28. Also printed: the import time and the memory (RSS) at 100,000.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { POSTGRES_URL, reachable } from '../helpers/services.js';
import { repoRoot } from './build.js';
import { type BenchUrl, benchUrls, type Kind, warmupUrls } from './catalog-urls.js';
import { generateCatalog } from './generate-catalog.js';
import { rssBytes, type Server, startServer } from './processes.js';

export const SIZES: readonly number[] = [28, 1_000, 100_000];
const TARGET_RATIO = 1.5;
const SECRET = 'bench-secret-0123456789-abcdefghijklmnop';

/** How to run the store and the import: the production build, or the sources through tsx. */
export type Scripts = { store: string; importer: string; nodeArgs: string[] };

export type EngineResult = {
  engine: string;
  medians: Record<number, Record<Kind | 'all', number>>;
  importSeconds: number;
  rss: Record<number, number>;
  ratio: number;
  pass: boolean;
  problems: number;
};

type Database = { url: string; drop(): Promise<void> };

async function sqliteDb(dir: string, size: number): Promise<Database> {
  return { url: join(dir, `scale-${size}.db`), drop: async () => {} };
}

async function postgresDb(size: number): Promise<Database> {
  const name = `bench_catalog_${size}_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

function importInto(scripts: Scripts, file: string, databaseUrl: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [...scripts.nodeArgs, scripts.importer, file], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, NODE_ENV: 'production', SESSION_SECRET: SECRET },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`catalog:import of ${file} failed:\n${run.stderr}${run.stdout}`);
  return (performance.now() - started) / 1000;
}

/** One GET with the server's session cookie; its time in ms, or undefined for a non-200. */
async function timed(server: Server, cookie: { value: string }, path: string): Promise<number | undefined> {
  const started = performance.now();
  const res = await fetch(`${server.url}${path}`, {
    headers: { cookie: cookie.value, 'x-forwarded-proto': 'https', 'accept-encoding': 'gzip' },
  });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  const set = res.headers.getSetCookie()[0];
  if (set !== undefined) cookie.value = set.split(';')[0] ?? '';
  return res.status === 200 ? ms : undefined;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export async function catalogScale(
  engine: 'sqlite' | 'postgres',
  scripts: Scripts,
  progress: (message: string) => void,
): Promise<EngineResult> {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-scale-'));
  const servers = new Map<number, Server>();
  const databases: Database[] = [];
  let importSeconds = 0;
  try {
    for (const size of SIZES) {
      const file = join(dir, `products-${size}.json`);
      writeFileSync(file, JSON.stringify(generateCatalog(size)));
      const db = engine === 'sqlite' ? await sqliteDb(dir, size) : await postgresDb(size);
      databases.push(db);
      progress(`Catalog scale (${engine}): importing ${size.toLocaleString('en-US')} products…`);
      const seconds = importInto(scripts, file, db.url);
      if (size === 100_000) importSeconds = seconds;
      servers.set(
        size,
        await startServer({
          name: `catalog-${engine}-${size}`,
          script: scripts.store,
          cwd: repoRoot,
          nodeArgs: scripts.nodeArgs,
          env: {
            NODE_ENV: 'production',
            SESSION_SECRET: SECRET,
            SESSION_INSPECTOR: 'off',
            TRUST_PROXY: 'loopback',
            NEW_SESSION_IP_LIMIT: '100000000',
            DATABASE_URL: db.url,
            CATALOG_FILE: file,
          },
        }),
      );
    }
    const cookies = new Map(SIZES.map((size) => [size, { value: '' }]));
    const ask = async (size: number, url: BenchUrl) => {
      const server = servers.get(size);
      const cookie = cookies.get(size);
      if (server === undefined || cookie === undefined) throw new Error(`no server for ${size}`);
      return timed(server, cookie, url.path);
    };
    for (const url of warmupUrls()) for (const size of SIZES) await ask(size, url);
    progress(`Catalog scale (${engine}): 160 distinct URLs on each server, in turn…`);
    const times = new Map<number, { kind: Kind; ms: number }[]>(SIZES.map((s) => [s, []]));
    let problems = 0;
    for (const url of benchUrls()) {
      for (const size of SIZES) {
        const ms = await ask(size, url);
        if (ms === undefined) problems++;
        else times.get(size)?.push({ kind: url.kind, ms });
      }
    }
    const medians: EngineResult['medians'] = {};
    const rss: Record<number, number> = {};
    for (const size of SIZES) {
      const all = times.get(size) ?? [];
      const of = (kind: Kind) => median(all.filter((t) => t.kind === kind).map((t) => t.ms));
      medians[size] = {
        all: median(all.map((t) => t.ms)),
        search: of('search'),
        category: of('category'),
        deep: of('deep'),
      };
      const server = servers.get(size);
      if (server !== undefined) rss[size] = rssBytes(server.pid);
    }
    const ratio = (medians[100_000]?.all ?? 0) / (medians[28]?.all ?? 1);
    return { engine, medians, importSeconds, rss, ratio, pass: ratio <= TARGET_RATIO && problems === 0, problems };
  } finally {
    for (const server of servers.values()) await server.stop();
    for (const db of databases) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printCatalogScale(results: EngineResult[]): void {
  console.log(
    '\nCatalog at scale: 160 distinct, uncached URLs per size (64 searches, 48 category pages, 48 deep pages)',
  );
  console.log('engine      products   median ms   search   category   deep    RSS MB');
  for (const r of results) {
    for (const size of SIZES) {
      const m = r.medians[size];
      if (m === undefined) continue;
      const cells = [m.all, m.search, m.category, m.deep].map((v) => v.toFixed(2).padStart(8));
      const mb = ((r.rss[size] ?? 0) / 2 ** 20).toFixed(0).padStart(8);
      console.log(`${r.engine.padEnd(10)} ${size.toLocaleString('en-US').padStart(9)}  ${cells.join(' ')} ${mb}`);
    }
    const extra = (((r.rss[100_000] ?? 0) - (r.rss[28] ?? 0)) / 2 ** 20).toFixed(0);
    console.log(
      `${r.engine}: import of 100,000 products ${r.importSeconds.toFixed(1)} s; ` +
        `the 100,000-product server holds ${extra} MB more than the 28-product one`,
    );
    const verdict = r.pass ? 'PASS' : 'FAIL';
    const problems = r.problems > 0 ? `, ${r.problems} answers not 200` : '';
    console.log(
      `${verdict}  catalog ${r.engine}: median at 100,000 = ${r.ratio.toFixed(2)}× the median at 28 (target ≤ ${TARGET_RATIO}×${problems})`,
    );
  }
}

/** Both engines, PostgreSQL only when it answers; true when every target passed. */
export async function runCatalogScale(scripts: Scripts, progress: (message: string) => void): Promise<boolean> {
  const results = [await catalogScale('sqlite', scripts, progress)];
  if (await reachable(POSTGRES_URL)) results.push(await catalogScale('postgres', scripts, progress));
  else progress(`Catalog scale: skipping PostgreSQL, not reachable at ${POSTGRES_URL}`);
  printCatalogScale(results);
  return results.every((r) => r.pass);
}

if (process.argv[1] === import.meta.filename) {
  const started = Date.now();
  const progress = (message: string) =>
    console.error(`${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${message}`);
  const scripts = { store: 'src/server.ts', importer: 'src/import-catalog.ts', nodeArgs: ['--import', 'tsx'] };
  runCatalogScale(scripts, progress).then(
    (pass) => process.exit(pass ? 0 : 1),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
