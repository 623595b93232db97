// The process: read config, open the database, session store and (optionally)
// Redis, listen, and shut down gracefully. Everything testable lives in app.ts.
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createClient, type RedisClientType } from 'redis';
import { seedDemoAccounts } from './accounts/demo.js';
import { createApp } from './app.js';
import { Catalog } from './catalog/catalog.js';
import { loadProducts } from './catalog/products.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/connect.js';
import { createServices } from './services.js';

async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  if (config.session.secretGenerated) {
    logger.warn('SESSION_SECRET is not set: using a random secret, so sessions end when the server restarts');
  }
  const catalog = new Catalog(loadProducts(config.catalogFile));
  const db = await openDatabase(config.databaseUrl);
  let redis: RedisClientType | undefined;
  if (config.redisUrl) {
    redis = createClient({ url: config.redisUrl });
    redis.on('error', (err) => logger.error({ err }, 'redis error'));
    await redis.connect();
  }
  const services = await createServices(config, catalog, db, redis);
  await seedDemoAccounts(services.users);

  const app = createApp(services, logger);
  const server: Server = app.listen(config.port, config.host, () => {
    logger.info(`Session Shop listening on http://localhost:${config.port} (sessions: ${services.sessionStoreName})`);
  });

  // Finish requests in flight, then close connections, so no session write is cut off.
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(async () => {
      await redis?.quit();
      await db.destroy();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // Start-up errors (bad config, a broken catalog file) are for a person to read.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
