// The process: read config, wait for the database and Redis, listen, and shut
// down gracefully. Everything testable lives in app.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seedDemoAccounts } from './accounts/demo.js';
import { createApp } from './app.js';
import { Catalog } from './catalog/catalog.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createServices } from './services.js';
import { shutdown } from './shutdown.js';
import { connectRedis, listen, listeningLine, waitForDatabase } from './startup.js';
import { drainOf } from './web/http/drain.js';
import { createHttpServer } from './web/http/http-server.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config); // JSON, or readable lines at a terminal (logger.ts)
  // A promise nobody awaited has failed: some code is in a state nobody planned for. Node's
  // default prints it outside the log and exits at once, cutting every request in flight.
  // Instead: log it, then leave as on SIGTERM (out of rotation, drained), exiting 1 so the
  // supervisor sees a failure. Before the server listens there is nothing to drain.
  let stop: ReturnType<typeof shutdown> | undefined;
  process.on('unhandledRejection', (err: unknown) => {
    logger.fatal({ err }, 'Unhandled promise rejection: shutting down');
    if (stop) void stop('unhandledRejection', true);
    else logger.flush(() => process.exit(1));
  });
  if (config.session.secretGenerated) {
    logger.warn('SESSION_SECRET is not set: using a random secret, so sessions end when the server restarts');
  }
  if (config.production && config.trustProxy === undefined) {
    logger.warn(
      'NODE_ENV=production makes the session cookie Secure, so browsers only keep it over HTTPS; over plain HTTP ' +
        'no cookie is set and every request starts a new session. Run behind a TLS-terminating proxy and set ' +
        'TRUST_PROXY so its X-Forwarded-Proto: https is believed: TRUST_PROXY=loopback for a proxy on this host, ' +
        'or the proxy’s address.',
    );
  }
  // Filled from the database; an empty database is first seeded from CATALOG_FILE (services.ts).
  const catalog = new Catalog();
  // Redis and PostgreSQL may come up after us (a fresh docker compose, a rolling restart): wait, within bounds.
  const giveUpAt = Date.now() + config.timeouts.startupRetryMs;
  const db = await waitForDatabase(config, logger, giveUpAt);
  const redis = await connectRedis(config, logger, giveUpAt);
  const services = await createServices(config, catalog, db, redis);
  await seedDemoAccounts(services.users);

  const app = createApp(services, logger);
  const server = createHttpServer(app, {
    // A whole request (body included) must arrive within REQUEST_TIMEOUT_MS, its headers within 10 s:
    // a client trickling bytes cannot hold a connection (or the session lock) forever.
    requestTimeout: config.timeouts.requestMs,
    headersTimeout: Math.min(10_000, config.timeouts.requestMs),
    // Node checks those timeouts every 30 s by default, far coarser than the timeouts themselves.
    connectionsCheckingInterval: Math.min(1000, config.timeouts.requestMs),
    // An idle keep-alive connection is left for the proxy to close: HAProxy purges its idle
    // connections after 5 s (pool-purge-delay), Node's own default is also 5 s, and a close
    // from this side can cross a request the proxy is just sending on it (a reset).
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  });
  await listen(server, config.port, config.host);
  logger.info(listeningLine(server, config, services.sessionStoreName));
  logger.flush(); // a person (or a supervisor) waiting for this line should not wait a second more

  if (config.metricsPort !== undefined) {
    // Its own listener: the shop's port faces the internet, and has no /metrics at all.
    services.metrics.watchProcess();
    const metricsServer = createServer(services.metrics.answer);
    await listen(metricsServer, config.metricsPort, config.host);
    metricsServer.unref(); // it never keeps the process up on its own
    const { port } = metricsServer.address() as AddressInfo;
    logger.info(`Metrics on http://localhost:${port}/metrics`);
  }

  const stopping = shutdown(server, drainOf(app), services, logger);
  stop = stopping;
  process.once('SIGTERM', () => void stopping('SIGTERM'));
  process.once('SIGINT', () => void stopping('SIGINT'));
}

/** Longer than a proxy keeps an idle connection open, as load balancers advise (AWS: above its 60 s). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

main().catch((err: unknown) => {
  // Start-up errors (bad config, a broken catalog file, a dependency that never came) are for a person to read.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
