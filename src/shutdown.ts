// Graceful shutdown: drain, close the dependencies, exit.
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Services } from './services.js';
import { withTimeout } from './unavailable.js';
import type { Drain } from './web/drain.js';

/**
 * SIGTERM/SIGINT: /readyz fails at once so load balancers stop sending shoppers;
 * requests in flight finish, each answered with `Connection: close`; idle
 * keep-alive connections are closed. Past SHUTDOWN_DRAIN_MS what still runs is
 * answered 503 and its session locks given back. Then Redis and the database are
 * closed. Exit 0 when everything finished, 1 when requests had to be cut off.
 */
export function shutdown(server: Server, drain: Drain, services: Services, logger: Logger) {
  const { shutdownDrainMs, storeMs, databaseMs } = services.config.timeouts;
  return async (signal: string) => {
    // Whatever hangs below, the process still ends: every step after the drain has its own bound.
    setTimeout(() => process.exit(1), shutdownDrainMs + 1000 + 2 * storeMs + databaseMs + 2000).unref();
    logger.info(
      `${signal}: shutting down; waiting up to ${shutdownDrainMs} ms for ${drain.inFlight} request(s) in flight`,
    );
    drain.begin();
    server.closeIdleConnections();
    // Keep accepting while requests run: a shopper sent here before the balancer noticed is still served.
    const drained = drain.idle().then(() => new Promise<void>((resolve) => server.close(() => resolve())));
    let clean = true;
    try {
      await withTimeout(drained, shutdownDrainMs, () => new Error('drain deadline'));
    } catch {
      clean = false;
      server.close();
      const { answered, written } = drain.cutOff();
      logger.warn(`Drain deadline passed: answered ${answered} request(s) 503 that were still running`);
      await settle('sending those answers', written, 1000, logger);
      await settle('releasing session locks', services.lock.releaseAll(), storeMs, logger);
      server.closeAllConnections();
    }
    const { redis, db } = services;
    if (redis && !(await settle('closing Redis', redis.close(), storeMs, logger))) redis.destroy();
    await settle('closing the database', db.destroy(), databaseMs, logger);
    logger.info('shut down');
    // pino writes asynchronously: flush first, or the last lines come out of order or not at all.
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(clean ? 0 : 1);
  };
}

/** Waits for `work` at most `ms`; false (and a log line) when it failed or took too long. */
async function settle(what: string, work: Promise<unknown>, ms: number, logger: Logger): Promise<boolean> {
  try {
    await withTimeout(work, ms, () => new Error(`timed out after ${ms} ms`));
    return true;
  } catch (err) {
    logger.warn({ err }, `shutdown: ${what} failed`);
    return false;
  }
}
