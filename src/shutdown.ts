// Graceful shutdown: leave the load balancer's rotation, drain, close the
// dependencies, exit. The request side of draining is web/http/drain.ts.
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Services } from './services.js';
import { withTimeout } from './unavailable.js';
import type { Drain } from './web/http/drain.js';

/**
 * SIGTERM/SIGINT, or a failure the process cannot go on after (server.ts):
 * 1. `/readyz` answers 503 at once, and from now on every answer carries
 *    `Connection: close`, so each keep-alive connection closes right after its next answer.
 * 2. For SHUTDOWN_DELAY_MS the instance serves and accepts as usual: the load balancer
 *    keeps sending shoppers here until its checks have seen that 503.
 * 3. It stops accepting, and requests in flight finish. Past SHUTDOWN_DRAIN_MS what still
 *    runs is answered 503 and its session locks given back.
 * 4. Redis and the database are closed. Exit 0 when everything finished; 1 when requests
 *    had to be cut off, or when the shutdown is for a failure.
 * Called again while under way (a second signal, another failure), it only adds to the
 * exit code: one shutdown per process. `pause` waits out the delay (tests hold it open).
 */
export function shutdown(
  server: Server,
  drain: Drain,
  services: Services,
  logger: Logger,
  pause: (ms: number) => Promise<unknown> = sleep,
) {
  let failure = false;
  let underWay: Promise<void> | undefined;
  return (reason: string, failed = false): Promise<void> => {
    failure ||= failed;
    underWay ??= stop(reason);
    return underWay;
  };

  async function stop(reason: string) {
    const { shutdownDelayMs, shutdownDrainMs, storeMs, databaseMs } = services.config.timeouts;
    // Whatever hangs below, the process still ends: every step after the drain has its own bound.
    const lastResortMs = shutdownDelayMs + shutdownDrainMs + 1000 + 2 * storeMs + databaseMs + 2000;
    setTimeout(() => process.exit(1), lastResortMs).unref();
    drain.begin();
    logger.info(`${reason}: shutting down; /readyz answers 503, still serving for ${shutdownDelayMs} ms`);
    logger.flush(); // an operator watching for this line should not wait for the next periodic flush
    if (shutdownDelayMs > 0) await pause(shutdownDelayMs);

    logger.info(`Stopped accepting; waiting up to ${shutdownDrainMs} ms for ${drain.inFlight} request(s) in flight`);
    // server.close() stops listening and closes the idle keep-alive connections (Node ≥ 19);
    // the busy ones close after their answer. Idle ones are closed now, not at SIGTERM: then
    // the proxy was still sending here, and a connection idle on this side may already carry
    // its next request on the wire; closing it cuts that request, and the proxy's client
    // sees a reset. By now the proxy's checks have seen /readyz fail and it sends nothing
    // more here, and every answer since SIGTERM closed its connection: a connection still
    // idle has carried nothing for the whole delay. (A client that ignores /readyz has the
    // race of any keep-alive close, and retries as HTTP tells it to.)
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    let clean = true;
    try {
      await withTimeout(Promise.all([drain.idle(), closed]), shutdownDrainMs, () => new Error('drain deadline'));
    } catch {
      clean = false;
      const { answered, written } = drain.cutOff();
      logger.warn(`Drain deadline passed: answered ${answered} request(s) 503 that were still running`);
      await finishWithin('sending those answers', written, 1000, logger);
      await finishWithin('releasing session locks', services.lock.releaseAll(), storeMs, logger);
      server.closeAllConnections();
    }
    const { redis, waitingRedis, db } = services;
    for (const client of [redis, waitingRedis]) {
      if (client && !(await finishWithin('closing Redis', client.close(), storeMs, logger))) client.destroy();
    }
    await finishWithin('closing the database', db.destroy(), databaseMs, logger);
    logger.info('shut down');
    // pino writes asynchronously: flush first, or the last lines come out of order or not at all.
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(clean && !failure ? 0 : 1);
  }
}

/** Waits for `work` at most `ms`; false (and a log line) when it failed or took too long. */
async function finishWithin(what: string, work: Promise<unknown>, ms: number, logger: Logger): Promise<boolean> {
  try {
    await withTimeout(work, ms, () => new Error(`timed out after ${ms} ms`));
    return true;
  } catch (err) {
    logger.warn({ err }, `shutdown: ${what} failed`);
    return false;
  }
}
