// What an operator graphs: Prometheus series, each fed where the thing happens, read
// from a listener of its own (METRICS_PORT) and never from the shop's port, which
// faces the internet. One registry per Services, not prom-client's global one, so a
// test's apps never mix their counts.
import type { RequestListener } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Store } from 'express-session';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolCounts } from './db/connect.js';
import { asDatabaseUnavailable } from './db/unavailable.js';
import { SessionBusyError, SessionLockLostError } from './session/store/lock.js';
import { UnavailableError } from './unavailable.js';

/** From a page served from memory (milliseconds) to a lock waited out (10 s). */
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly registry = new Registry();

  private readonly requests = new Histogram({
    name: 'shop_http_request_duration_seconds',
    help: 'Time from a request’s arrival to the end of its answer, by route pattern, method and status class',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  private readonly lockWaits = new Histogram({
    name: 'shop_session_lock_wait_seconds',
    help: 'Time a request waited for its session’s lock (0 when nobody else held it)',
    buckets: SECONDS,
    registers: [this.registry],
  });

  private readonly storeCalls = new Histogram({
    name: 'shop_session_store_seconds',
    help: 'Time a session store call took, successful or not, by operation',
    labelNames: ['operation'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  private readonly unavailable = new Counter({
    name: 'shop_unavailable_total',
    help: 'Requests refused because a dependency failed, by dependency and reason',
    labelNames: ['dependency', 'reason'] as const,
    registers: [this.registry],
  });

  private readonly sessionsCreated = new Counter({
    name: 'shop_sessions_created_total',
    help: 'Sessions started: a visitor without one, or a login’s new session ID',
    registers: [this.registry],
  });

  private readonly pageCache = new Counter({
    name: 'shop_page_cache_lookups_total',
    help: 'Catalog pages looked up in the page cache, by result (hit or miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** Times every request from here on; mounted first, so the time is the whole request's. */
  readonly timeRequests: RequestHandler = (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      this.requests.observe(
        { route: routeOf(req, res), method: req.method, status_class: `${Math.floor(res.statusCode / 100)}xx` },
        (performance.now() - started) / 1000,
      );
    });
    next();
  };

  lockWaited(seconds: number): void {
    this.lockWaits.observe(seconds);
  }

  storeCalled(operation: string, seconds: number): void {
    this.storeCalls.observe({ operation }, seconds);
  }

  pageLookedUp(hit: boolean): void {
    this.pageCache.inc({ result: hit ? 'hit' : 'miss' });
  }

  /** Counts a refusal that a dependency caused; other errors are not this series' business. */
  refused(err: unknown): void {
    const labels = dependencyTrouble(err);
    if (labels) this.unavailable.inc(labels);
  }

  /** Counts every session `store` starts: express-session asks store.generate for each, and so does a login. */
  countSessionsOf(store: Store & { generate?: (req: Request) => void }): void {
    const generate = store.generate?.bind(store);
    if (!generate) throw new Error('count the sessions only once express-session has set up the store');
    store.generate = (req) => {
      this.sessionsCreated.inc();
      generate(req);
    };
  }

  /** The database pool's connections, read at each scrape (PostgreSQL only). */
  watchPool(counts: () => PoolCounts | undefined): void {
    new Gauge({
      name: 'shop_db_pool_connections',
      help: 'PostgreSQL pool connections: in use, idle, and requests waiting for one',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const now = counts();
        if (!now) return;
        const { inUse, idle, waiting } = now;
        this.set({ state: 'in_use' }, inUse);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'waiting' }, waiting);
      },
    });
  }

  /** prom-client's process and Node series: CPU, memory, file descriptors, event loop lag, GC. */
  watchProcess(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /** METRICS_PORT's listener: GET /metrics in Prometheus's text format, and nothing else. */
  readonly answer: RequestListener = (req, res) => {
    const path = req.url?.split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    this.registry.metrics().then(
      (body) => res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(body),
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Collecting failed: ${message}\n`);
      },
    );
  };
}

/**
 * The route's pattern ("/products/:id"), never the path itself: a label per product or
 * per mistyped URL would grow without bound. Requests no route took have a name for why.
 */
function routeOf(req: Request, res: Response): string {
  const pattern: unknown = req.route?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
  if (res.statusCode === 404) return 'not found';
  return 'before routing'; // answered by a middleware: a static file, a limit, a refusal
}

function dependencyTrouble(err: unknown): { dependency: string; reason: string } | undefined {
  const unavailable = err instanceof UnavailableError ? err : asDatabaseUnavailable(err);
  if (unavailable) return { dependency: unavailable.dependency, reason: unavailable.trouble };
  if (err instanceof SessionBusyError) return { dependency: 'session lock', reason: 'busy' };
  if (err instanceof SessionLockLostError) return { dependency: 'session lock', reason: 'lost' };
  return undefined;
}
