// Start-up against dependencies that may come up after us (a fresh docker compose,
// a rolling restart): wait for them within STARTUP_RETRY_MS, then give up with a
// message for a person. Also the listen that fails loudly on a taken port, and the line
// that says where the shop then runs.
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createClient, createSentinel, type RedisClientType, type RedisSentinelType } from 'redis';
import type { Config } from './config.js';
import { type Db, isPostgresUrl, openDatabase } from './db/connect.js';
import { databaseLabel } from './db/label.js';
import { asDatabaseUnavailable } from './db/unavailable.js';
import type { Redis } from './redis.js';
import { withTimeout } from './unavailable.js';

/** Start-up is tried again after 50 ms, 100, 200 … at most 2 s apart, until STARTUP_RETRY_MS. */
const backoff = (retries: number) => Math.min(50 * 2 ** retries, 2000);

/** Resolves once listening; a port in use or not allowed is a message for a person, not a silent hang. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(new Error(`Port ${port} is already in use on ${host}: stop the other process or set PORT.`));
      else if (err.code === 'EACCES')
        reject(new Error(`Not allowed to listen on port ${port}: choose a PORT above 1023.`));
      else reject(err);
    });
    server.listen(port, host, () => resolve());
  });
}

/**
 * The start-up line: the address really listened on (PORT=0 picks one), the session store
 * and the database, with no password from REDIS_URL or DATABASE_URL.
 */
export function listeningLine(server: Server, config: Config, sessionStore: string): string {
  const sessions = sessionStore === 'redis' ? (redisLabel(config) ?? sessionStore) : sessionStore;
  const database = databaseLabel(config.databaseUrl);
  return `Session Shop listening on ${addressOf(server)} (sessions: ${sessions}; database: ${database})`;
}

function addressOf(server: Server): string {
  const at = server.address();
  if (at === null || typeof at === 'string') return String(at); // not listening; a pipe
  const url = `http://${at.family === 'IPv6' ? `[${at.address}]` : at.address}:${at.port}`;
  // Every interface (HOST=0.0.0.0, the default): a browser on this machine reaches it as localhost.
  return at.address === '0.0.0.0' || at.address === '::' ? `${url}, http://localhost:${at.port}` : url;
}

/**
 * SQLite opens or fails for good. PostgreSQL may just not be up yet: while it is
 * unavailable (refused, restarting) it is tried again; a wrong password or a
 * missing database fails at once, as no wait would fix it.
 */
export async function waitForDatabase(config: Config, logger: Logger, giveUpAt: number): Promise<Db> {
  const url = config.databaseUrl;
  const options = {
    poolMax: config.databasePoolMax,
    timeoutMs: config.timeouts.databaseMs,
    onError: (err: unknown) => logger.error({ err }, 'database connection lost (the pool reconnects on next use)'),
  };
  if (!isPostgresUrl(url)) return openDatabase(url, options);
  const where = `PostgreSQL at ${new URL(url).host}`; // host:port only: the URL may hold a password
  for (let attempt = 1; ; attempt++) {
    try {
      const left = Math.max(giveUpAt - Date.now(), 1);
      return await withTimeout(openDatabase(url, options), left, () => new Error('no answer'));
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      if (!asDatabaseUnavailable(err) && why !== 'no answer') throw new Error(`Cannot open ${where}: ${why}`);
      const wait = backoff(attempt - 1);
      if (Date.now() + wait > giveUpAt) throw new Error(giveUpMessage(where, config, why, 'DATABASE_URL'));
      logger.warn(`Waiting for ${where} (attempt ${attempt} failed: ${why}); next try in ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * Redis answers these to a connection it will never accept as configured: a wrong
 * password or user (WRONGPASS), a password it wants and was not given (NOAUTH), a
 * database number it does not have (SELECT: "DB index is out of range").
 */
const NEVER_ACCEPTED = /^(WRONGPASS|NOAUTH)\b|DB index is out of range/;

/**
 * Bounded by design: commands fail at once while disconnected (no offline queue),
 * connecting takes at most STORE_TIMEOUT_MS, reconnects back off to 2 s apart.
 * Errors are logged once per outage, with a line when Redis is back. At start-up a
 * Redis that will never accept us as configured fails at once, as no wait would fix it.
 */
export async function waitForRedis(url: string, config: Config, logger: Logger, giveUpAt: number) {
  const where = `Redis at ${new URL(url).host}`;
  const reconnectStrategy = (retries: number, cause: Error) =>
    state === 'starting' && NEVER_ACCEPTED.test(cause.message) ? cause : backoff(retries);
  const redis: RedisClientType = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: config.timeouts.storeMs, reconnectStrategy },
  });
  let state: 'starting' | 'up' | 'down' = 'starting';
  let attempt = 0;
  let lastError = '';
  redis.on('error', (err: unknown) => {
    lastError = err instanceof Error ? err.message : String(err);
    if (state === 'starting') {
      attempt++;
      logger.warn(
        `Waiting for ${where} (attempt ${attempt} failed: ${lastError}); next try in ${backoff(attempt - 1)} ms`,
      );
    } else if (state === 'up') {
      state = 'down';
      logger.error({ err }, `Lost ${where}; reconnecting, with further errors logged at debug level only`);
    } else {
      logger.debug({ err }, `${where} still unavailable`);
    }
  });
  redis.on('ready', () => {
    if (state === 'down') logger.info(`${where} is back`);
    state = 'up';
  });
  try {
    await withTimeout(redis.connect(), Math.max(giveUpAt - Date.now(), 1), () => new Error(lastError || 'timed out'));
    return redis;
  } catch (err) {
    redis.destroy();
    const why = err instanceof Error ? err.message : String(err);
    if (NEVER_ACCEPTED.test(why)) {
      throw new Error(`Cannot use ${where}: ${why}. Check the password, user and database number in REDIS_URL.`);
    }
    throw new Error(giveUpMessage(where, config, why, 'REDIS_URL'));
  }
}

/** Where Redis is, as the configuration says: host and port, never the password in REDIS_URL. */
function redisLabel(config: Config): string | undefined {
  const sentinel = config.redisSentinel;
  if (sentinel !== undefined) {
    const nodes = sentinel.nodes.map(({ host, port }) => `${host}:${port}`).join(', ');
    return `Redis "${sentinel.name}" through the sentinels at ${nodes}`;
  }
  return config.redisUrl === undefined ? undefined : `Redis at ${new URL(config.redisUrl).host}`;
}

/** Redis as configured: through Sentinel, at REDIS_URL, or none (memorystore). */
export function connectRedis(config: Config, logger: Logger, giveUpAt: number): Promise<Redis | undefined> {
  if (config.redisSentinel !== undefined) return waitForSentinel(config, logger, giveUpAt);
  if (config.redisUrl !== undefined) return waitForRedis(config.redisUrl, config, logger, giveUpAt);
  return Promise.resolve(undefined);
}

/**
 * Redis found through Sentinel: node-redis asks the sentinels for the primary, connects
 * to it, and on a failover (the sentinels announce the new primary) moves every command
 * there. Commands sent meanwhile wait for the new primary, each within its own bound.
 */
export async function waitForSentinel(config: Config, logger: Logger, giveUpAt: number): Promise<RedisSentinelType> {
  const sentinel = config.redisSentinel;
  if (sentinel === undefined) throw new Error('REDIS_SENTINELS is not set');
  const where = redisLabel(config) ?? 'Redis';
  const socket = { connectTimeout: config.timeouts.storeMs, reconnectStrategy: backoff };
  const redis: RedisSentinelType = createSentinel({
    name: sentinel.name,
    sentinelRootNodes: sentinel.nodes,
    nodeClientOptions: { socket },
    sentinelClientOptions: { socket },
  });
  // node-redis tries the sentinels again by itself (about once a second) until connect()
  // resolves: each failure while starting is a line, later ones are debug noise of a failover.
  let starting = true;
  let lastError = '';
  redis.on('error', (err: unknown) => {
    // Each failure comes twice: as the Error, and as a string node-redis wraps around it.
    if (!(err instanceof Error)) {
      logger.debug(`${where}: ${String(err)}`);
      return;
    }
    lastError = err.message;
    if (starting) logger.warn(`Waiting for ${where} (${lastError})`);
    else logger.debug({ err }, `${where}: a connection failed`);
  });
  let primary: string | undefined;
  redis.on('topology-change', (event: { type: string; node?: { host: string; port: number } }) => {
    if (event.type !== 'MASTER_CHANGE' || event.node === undefined) return;
    const now = `${event.node.host}:${event.node.port}`;
    if (primary !== undefined && primary !== now) logger.warn(`${where}: the primary is now ${now} (was ${primary})`);
    else logger.info(`${where}: the primary is ${now}`);
    primary = now;
  });
  try {
    await withTimeout(redis.connect(), Math.max(giveUpAt - Date.now(), 1), () => new Error(lastError || 'no answer'));
    starting = false;
    return redis;
  } catch (err) {
    starting = false;
    void redis.destroy().catch(() => {});
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(giveUpMessage(where, config, why, 'REDIS_SENTINELS and REDIS_SENTINEL_NAME'));
  }
}

function giveUpMessage(where: string, config: Config, why: string, setting: string): string {
  const ms = config.timeouts.startupRetryMs;
  return `Gave up waiting for ${where} after ${ms} ms (${why}). Check ${setting}, or raise STARTUP_RETRY_MS.`;
}
