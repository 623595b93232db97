// The kinds of server the scenarios run against, started the way production
// starts them: NODE_ENV=production, a 40-character secret, the inspector off, a
// throw-away SQLite file, and Redis only where a scenario asks for it.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Build, repoRoot } from './build.js';
import { writeStockedCatalog } from './catalog.js';
import { type Server, startServer } from './processes.js';
import type { Target } from './scenarios.js';

export const SESSION_SECRET = 'bench-secret-0123456789-abcdefghijklmnop';

/** Where a first cookieless request gets a session cookie from. */
export const SESSION_PATH: Record<Target, string> = {
  bare: '/',
  session: '/',
  'session-classes': '/',
  store: '/cart',
  stocked: '/cart',
  redis: '/cart',
};

// The stocked store: the add and checkout scenarios would otherwise meet the cart's
// limits (10 of one product) or sell out (p-001 has 40), and answer 422/409 mid-run.
// A server of its own, because the raised limits change what pages render (a product
// page offers a quantity <select> up to min(stock, CART_MAX_PER_LINE)): the HTML
// scenarios keep measuring the store as shipped.
function stockedEnv(build: Build): Record<string, string> {
  return {
    CART_MAX_PER_LINE: '999',
    CART_MAX_LINES: '500',
    CATALOG_FILE: writeStockedCatalog(build.dir),
  };
}

export type StartOptions = {
  redisUrl?: string;
  /** Preload heap-probe.js with this BENCH_PROBE_FILE (memory benchmark). */
  probeFile?: string;
  /** More environment for the store, over everything above. */
  env?: Record<string, string>;
  /** Run this script instead of the store's server.js, with the store's environment (growth-server). */
  script?: string;
};

export function startTarget(build: Build, target: Target, options: StartOptions = {}): Promise<Server> {
  const nodeArgs = options.probeFile ? ['--expose-gc', '--import', pathToFileURL(build.script('heap-probe')).href] : [];
  const probeEnv: Record<string, string> = options.probeFile ? { BENCH_PROBE_FILE: options.probeFile } : {};
  const common = { cwd: repoRoot, nodeArgs };
  if (target === 'bare') return startServer({ ...common, name: target, script: build.script('bare-server'), env: {} });
  if (target === 'session' || target === 'session-classes') {
    const serverModule = pathToFileURL(join(build.dir, 'dist', 'web', 'http', 'http-server.js')).href;
    const classes: Record<string, string> = target === 'session-classes' ? { STORE_HTTP_SERVER: serverModule } : {};
    const env = { NODE_ENV: 'production', SESSION_SECRET, ...classes, ...probeEnv };
    return startServer({ ...common, name: target, script: build.script('session-server'), env });
  }
  if (target === 'redis' && options.redisUrl === undefined) throw new Error('the redis target needs a Redis URL');
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    SESSION_SECRET,
    SESSION_INSPECTOR: 'off',
    // The scenarios stand where a TLS proxy on this host would (X-Forwarded-Proto: https).
    TRUST_PROXY: 'loopback',
    // Every load comes from one address; the new-session limit is for floods, not for this.
    NEW_SESSION_IP_LIMIT: '100000000',
    // The one-cookie scenarios send every connection's requests on one session at once.
    SESSION_MAX_WAITING: '100000',
    // A fresh file per server: seeded from data/products.json, never the shared data/shop.db.
    DATABASE_URL: join(build.dir, `${target}-${Date.now()}.db`),
    ...(target === 'redis' && options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...(target === 'stocked' ? stockedEnv(build) : {}),
    ...probeEnv,
    ...options.env,
  };
  return startServer({ ...common, name: target, script: options.script ?? build.storeScript, env });
}
