// Environment → typed configuration. The one place that reads process.env;
// everything else receives a Config and never guesses at defaults.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const duration = (fallbackMs: number) => z.coerce.number().int().positive().default(fallbackMs);
/** true/false, 1/0, yes/no, on/off…; unset means "the default for this environment". */
const flag = () => z.stringbool().optional();

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  SESSION_SECRET: z.string().optional(),
  SESSION_COOKIE_NAME: z
    .string()
    .regex(/^[\w-]+$/)
    .default('shop.sid'),
  SESSION_STORE_MAX: z.coerce.number().int().positive().default(100_000),
  SESSION_EMPTY_STORE_MAX: z.coerce.number().int().positive().default(10_000),
  EMPTY_SESSION_TTL_MS: duration(30 * MINUTE),
  GUEST_CART_TTL_MS: duration(7 * DAY),
  AUTH_IDLE_MS: duration(30 * MINUTE),
  AUTH_ABSOLUTE_MS: duration(12 * HOUR),
  CART_MAX_PER_LINE: z.coerce.number().int().min(1).max(999).default(10),
  CART_MAX_LINES: z.coerce.number().int().min(1).max(500).default(50),
  LOGIN_USERNAME_LIMIT: z.coerce.number().int().min(1).max(10_000).default(20),
  LOGIN_IP_LIMIT: z.coerce.number().int().min(1).max(10_000).default(30),
  REGISTER_IP_LIMIT: z.coerce.number().int().min(1).max(10_000).default(5),
  NEW_SESSION_IP_LIMIT: z.coerce.number().int().min(1).default(1_000),
  REDIS_URL: z.string().url().optional(),
  REDIS_SENTINELS: z.string().optional(),
  REDIS_SENTINEL_NAME: z
    .string()
    .regex(/^[\w.-]+$/, 'the master name the sentinels monitor, e.g. shop')
    .optional(),
  REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(16).default(0),
  DATABASE_URL: z.string().default('data/shop.db'),
  CATALOG_FILE: z.string().default('data/products.json'),
  SESSION_INSPECTOR: flag(),
  SESSION_SAVE_UNINITIALIZED: flag(),
  SESSION_TIMELINE_LENGTH: z.coerce.number().int().min(1).max(200).default(20),
  AUTH_SEEN_GRANULARITY_MS: z.coerce.number().int().positive().optional(),
  TRUST_PROXY: z.string().optional(),
  LOCK_WAIT_MS: duration(10_000),
  SESSION_MAX_WAITING: z.coerce.number().int().min(1).default(16),
  LOCK_LEASE_MS: duration(15_000),
  STORE_TIMEOUT_MS: duration(2_000),
  DATABASE_TIMEOUT_MS: duration(2_000),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  READY_TIMEOUT_MS: duration(1_000),
  REQUEST_TIMEOUT_MS: duration(30_000),
  // 0 is allowed: an instance nobody balances across may stop at once.
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).optional(),
  SHUTDOWN_DRAIN_MS: duration(10_000),
  STARTUP_RETRY_MS: duration(30_000),
});

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

/** Reads the environment; throws ConfigError with a message for a person when it is unusable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const inspector = e.SESSION_INSPECTOR ?? !production;
  const secrets = sessionSecrets(e.SESSION_SECRET, production);

  return {
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    /** Where GET /metrics is served (on HOST); unset, nowhere. Never the shop's own port. */
    metricsPort: e.METRICS_PORT,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    /** pretty: lines for a person (pino-pretty); json: one object a line; auto: pretty on a terminal (logger.ts). */
    logFormat: e.LOG_FORMAT,
    // Behind a TLS-terminating proxy the app must trust X-Forwarded-Proto to set `secure` cookies.
    // Nothing is trusted unless the operator says so: with no proxy in front, a trusted
    // X-Forwarded-For would let any client choose its IP (and dodge the login limit).
    trustProxy: trustProxy(e.TRUST_PROXY),
    session: {
      secrets: secrets.values,
      secretGenerated: secrets.generated,
      cookieName: e.SESSION_COOKIE_NAME,
      secureCookie: production,
      /** memorystore: most sessions holding a cart or a user (LRU). */
      storeMax: e.SESSION_STORE_MAX,
      /** memorystore: most empty sessions, kept apart so a flood of them evicts only each other. */
      emptyStoreMax: e.SESSION_EMPTY_STORE_MAX,
      emptyTtlMs: e.EMPTY_SESSION_TTL_MS,
      cartTtlMs: e.GUEST_CART_TTL_MS,
      authIdleMs: e.AUTH_IDLE_MS,
      authAbsoluteMs: e.AUTH_ABSOLUTE_MS,
      /** Slides the idle auth timeout only once it has moved this far: not a session write per request. */
      authSeenGranularityMs: e.AUTH_SEEN_GRANULARITY_MS ?? Math.min(MINUTE, e.AUTH_IDLE_MS / 10),
      /** The inspector (GET /session) and the labs (GET /lab); on by default outside production. */
      inspector,
      /** The guided tour panel on every page: in development, with the inspector. */
      tour: inspector && e.NODE_ENV === 'development',
      /** Events kept on the inspector's timeline, newest last. */
      timelineLength: e.SESSION_TIMELINE_LENGTH,
      /** A teaching switch: false stores a session (and sets its cookie) only once it holds something. */
      saveUninitialized: e.SESSION_SAVE_UNINITIALIZED ?? true,
    },
    lock: {
      /** How long a request waits for its session's lock before a 503 "busy". */
      waitMs: e.LOCK_WAIT_MS,
      /** Requests that may wait on one session (per instance); the next is answered 429 at once. */
      maxWaiting: e.SESSION_MAX_WAITING,
      /** Redis lock lease: renewed while the holder runs, so only a dead holder loses it. */
      leaseMs: e.LOCK_LEASE_MS,
    },
    timeouts: {
      /** Bound on every session store and Redis lock call: past it, 503 "the session store is unavailable". */
      storeMs: e.STORE_TIMEOUT_MS,
      /** Bound on getting a database connection and on each statement. */
      databaseMs: e.DATABASE_TIMEOUT_MS,
      /** Bound on each dependency check of GET /readyz. */
      readyMs: e.READY_TIMEOUT_MS,
      /** Bound on receiving a whole request, body included (Node answers 408 past it). */
      requestMs: e.REQUEST_TIMEOUT_MS,
      /**
       * On SIGTERM: how long the instance keeps serving, /readyz already 503, before it
       * stops accepting. In production, deploy/haproxy.cfg's fall 2 × inter 1 s (the
       * longest its checks take to see the 503) plus one more interval of margin.
       * Elsewhere no balancer is waiting, and `npm run dev` (tsx watch) restarts the
       * server with SIGTERM on every saved change: no delay.
       */
      shutdownDelayMs: e.SHUTDOWN_DELAY_MS ?? (production ? 3_000 : 0),
      /** Then: how long requests in flight may take before they are answered 503. */
      shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
      /** At start-up: how long to keep retrying Redis and the database before giving up. */
      startupRetryMs: e.STARTUP_RETRY_MS,
    },
    databasePoolMax: e.DATABASE_POOL_MAX,
    cartLimits: { maxPerLine: e.CART_MAX_PER_LINE, maxLines: e.CART_MAX_LINES },
    rateLimits: {
      /** Failed logins per username from any IP per 15 minutes (on top of 5 per username and IP). */
      loginPerUsername: e.LOGIN_USERNAME_LIMIT,
      /** Failed logins per client address, whatever the names tried (password spraying). */
      loginPerIp: e.LOGIN_IP_LIMIT,
      /** Sign-up attempts per IP per hour. */
      registerPerIp: e.REGISTER_IP_LIMIT,
      /** New sessions (requests without a valid session cookie) per IP per minute. */
      newSessionsPerIp: e.NEW_SESSION_IP_LIMIT,
    },
    redisUrl: e.REDIS_URL,
    /** The sentinels to ask for the current primary, instead of REDIS_URL (startup.ts). */
    redisSentinel: redisSentinel(e.REDIS_URL, e.REDIS_SENTINELS, e.REDIS_SENTINEL_NAME),
    /** Replicas that must have a session write before it is answered (WAIT; session/store/redis-lock.ts). */
    redisWaitReplicas: redisWaitReplicas(e.REDIS_WAIT_REPLICAS, e.REDIS_URL ?? e.REDIS_SENTINELS),
    databaseUrl: e.DATABASE_URL,
    catalogFile: e.CATALOG_FILE,
  };
}

/**
 * REDIS_SENTINELS=host:port,host:port,… with REDIS_SENTINEL_NAME: Redis is whichever server
 * those sentinels name as the primary of that name, followed through every failover.
 */
function redisSentinel(url: string | undefined, list: string | undefined, name: string | undefined) {
  if (list === undefined) {
    if (name !== undefined) throw new ConfigError('REDIS_SENTINEL_NAME needs REDIS_SENTINELS (host:port,host:port,…)');
    return undefined;
  }
  if (url !== undefined) {
    throw new ConfigError('Set REDIS_URL (one Redis) or REDIS_SENTINELS (Redis found through Sentinel), not both');
  }
  if (name === undefined) {
    throw new ConfigError('REDIS_SENTINELS needs REDIS_SENTINEL_NAME: the master name the sentinels monitor');
  }
  const nodes = list.split(',').map((entry) => {
    const match = /^\s*(\[[0-9a-fA-F:]+\]|[\w.-]+):(\d{1,5})\s*$/.exec(entry);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65535) {
      throw new ConfigError(`REDIS_SENTINELS: "${entry.trim()}" is not host:port (e.g. 10.0.0.5:26379)`);
    }
    return { host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port };
  });
  return { name, nodes };
}

/** Waiting for replicas means nothing without Redis: say so rather than ignore it. */
function redisWaitReplicas(replicas: number, redis: string | undefined): number {
  if (replicas > 0 && redis === undefined) {
    throw new ConfigError(
      'REDIS_WAIT_REPLICAS needs Redis (REDIS_URL or REDIS_SENTINELS): memorystore has no replicas',
    );
  }
  return replicas;
}

/**
 * Express reads a number as "this many proxies", a string as a list of addresses.
 * `true` (trust every address) is refused: any client could then choose its own
 * X-Forwarded-For, and so its own key in every per-address limit.
 */
function trustProxy(raw: string | undefined): number | boolean | string | undefined {
  if (raw === undefined) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw === 'true') {
    throw new ConfigError(
      'TRUST_PROXY=true would believe X-Forwarded-For from anyone. Use TRUST_PROXY=loopback for a proxy on ' +
        'this host, the proxy’s address(es) (TRUST_PROXY=10.0.0.5), or a hop count (TRUST_PROXY=1) only when ' +
        'nothing but the proxy can reach this instance.',
    );
  }
  if (raw === 'false') return false;
  return raw;
}

/**
 * SESSION_SECRET may list several secrets separated by commas: the first signs new
 * cookies, the others still verify old ones, so a secret can be rotated without
 * logging everybody out.
 */
function sessionSecrets(raw: string | undefined, production: boolean) {
  const values = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (values.length > 0) {
    const short = values.find((s) => s.length < 32);
    if (production && short !== undefined) {
      throw new ConfigError('SESSION_SECRET: every secret must be at least 32 characters in production');
    }
    return { values, generated: false };
  }
  if (production) {
    throw new ConfigError('SESSION_SECRET is required in production (at least 32 characters)');
  }
  return { values: [randomBytes(32).toString('hex')], generated: true };
}
