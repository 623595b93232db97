// startup.ts in this process: the listen that names a taken port, and the waits for
// the database and Redis, with a line per attempt and a message for a person when
// they give up. startup.test.ts runs the same through the real process.
import http from 'node:http';
import { createClient, type RedisClientType } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { listen, listeningLine, waitForDatabase, waitForRedis, waitForSentinel } from '../../src/startup.js';
import { recordingLogger } from '../helpers/log.js';
import { freePort, PrivateRedis, redisServerInstalled } from '../helpers/redis-server.js';
import { POSTGRES_URL, serviceAvailable, toolAvailable } from '../helpers/services.js';
import { TEST_SECRET } from '../helpers/shop.js';

const config = (env: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'test', SESSION_SECRET: TEST_SECRET, ...env });

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('listen', () => {
  it('names the port and what to do when it is taken', async () => {
    const holder = http.createServer();
    servers.push(holder);
    await listen(holder, 0, '127.0.0.1');
    const address = holder.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const second = http.createServer();
    servers.push(second);
    await expect(listen(second, port, '127.0.0.1')).rejects.toThrow(
      `Port ${port} is already in use on 127.0.0.1: stop the other process or set PORT.`,
    );
  });
});

describe('listen, on an address this machine does not have', () => {
  it('passes the system error on', async () => {
    const server = http.createServer();
    servers.push(server);
    await expect(listen(server, 0, '192.0.2.1')).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });
});

describe('listeningLine', () => {
  async function listening(host: string) {
    const server = http.createServer();
    servers.push(server);
    await listen(server, 0, host);
    const address = server.address();
    return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
  }

  it('names the address really listened on, the session store and the database', async () => {
    const { server, port } = await listening('127.0.0.1');
    expect(listeningLine(server, config({ DATABASE_URL: ':memory:' }), 'memorystore')).toBe(
      `Session Shop listening on http://127.0.0.1:${port} (sessions: memorystore; database: SQLite in memory)`,
    );
    expect(listeningLine(server, config({ DATABASE_URL: 'data/x.db' }), 'memorystore')).toContain(
      `database: SQLite at ${process.cwd()}/data/x.db)`,
    );
  });

  it('says where a browser finds a server listening on every interface', async () => {
    const { server, port } = await listening('0.0.0.0');
    expect(listeningLine(server, config(), 'memorystore')).toMatch(
      new RegExp(`^Session Shop listening on http://0\\.0\\.0\\.0:${port}, http://localhost:${port} \\(`),
    );
  });

  it('names Redis and PostgreSQL by host (and database), never the user or the password', async () => {
    const { server } = await listening('127.0.0.1');
    const env = {
      REDIS_URL: 'redis://shop:r-s3cret@cache.internal:6380/2',
      DATABASE_URL: 'postgres://shop:p-s3cret@db:5433/shop',
    };
    const line = listeningLine(server, config(env), 'redis');
    expect(line).toMatch(/\(sessions: Redis at cache\.internal:6380; database: PostgreSQL at db:5433\/shop\)$/);
    expect(line).not.toMatch(/s3cret|shop:|shop@/);
  });

  it('names the sentinels and the master name when Redis is found through Sentinel', async () => {
    const { server } = await listening('127.0.0.1');
    const env = { REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'shop', DATABASE_URL: ':memory:' };
    expect(listeningLine(server, config(env), 'redis')).toMatch(
      /\(sessions: Redis "shop" through the sentinels at s1:26379, s2:26379; database: /,
    );
  });
});

describe('waitForDatabase', () => {
  it('opens SQLite at once', async () => {
    const { logger, lines } = recordingLogger();
    const db = await waitForDatabase(config({ DATABASE_URL: ':memory:' }), logger, Date.now() + 1000);
    expect(await db.selectFrom('users').select('id').execute()).toEqual([]);
    expect(lines).toEqual([]);
    await db.destroy();
  });

  it('tries PostgreSQL again while it refuses, then gives up naming the host, never the password', async () => {
    const { logger, lines } = recordingLogger();
    const port = await freePort();
    const settings = config({
      DATABASE_URL: `postgres://shop:hunter2-secret@127.0.0.1:${port}/shop`,
      STARTUP_RETRY_MS: '1000',
    });
    const failure = await waitForDatabase(settings, logger, Date.now() + 1000).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toMatch(new RegExp(`^Gave up waiting for PostgreSQL at 127\\.0\\.0\\.1:${port} after 1000 ms`));
    expect(message).toContain('Check DATABASE_URL, or raise STARTUP_RETRY_MS.');
    const waits = lines.filter((l) => l.msg.startsWith('Waiting for PostgreSQL'));
    expect(waits[0]?.msg).toMatch(/attempt 1 failed: .*; next try in 50 ms$/);
    expect(waits.length).toBeGreaterThan(1);
    expect(JSON.stringify(lines) + message).not.toContain('hunter2');
  });
});

const postgres = await serviceAvailable('PostgreSQL', POSTGRES_URL, 'start-up check against PostgreSQL');

describe.skipIf(!postgres)('waitForDatabase with PostgreSQL up', () => {
  it('fails at once on a database that does not exist: no wait would fix it', async () => {
    const { logger, lines } = recordingLogger();
    const url = new URL(POSTGRES_URL);
    url.pathname = '/no_such_database_for_startup';
    const settings = config({ DATABASE_URL: url.toString(), STARTUP_RETRY_MS: '30000' });
    await expect(waitForDatabase(settings, logger, Date.now() + 30_000)).rejects.toThrow(
      /^Cannot open PostgreSQL at [^:]+:\d+: .*no_such_database_for_startup/,
    );
    expect(lines.filter((l) => l.msg.startsWith('Waiting for'))).toEqual([]);
  });
});

describe('waitForRedis', () => {
  it('gives up on a Redis that never answers, with a line per attempt', async () => {
    const { logger, lines } = recordingLogger();
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(waitForRedis(url, config({ STARTUP_RETRY_MS: '300' }), logger, Date.now() + 300)).rejects.toThrow(
      /^Gave up waiting for Redis at 127\.0\.0\.1:\d+ after 300 ms .*Check REDIS_URL, or raise STARTUP_RETRY_MS\.$/,
    );
    expect(lines[0]?.msg).toMatch(
      /^Waiting for Redis at 127\.0\.0\.1:\d+ \(attempt 1 failed: .*\); next try in 50 ms$/,
    );
  });
});

describe('waitForSentinel', () => {
  it('gives up on sentinels that never answer, naming them and the settings to check', async () => {
    const { logger, lines } = recordingLogger();
    const port = await freePort();
    const settings = config({ REDIS_SENTINELS: `127.0.0.1:${port}`, REDIS_SENTINEL_NAME: 'shop' });
    await expect(waitForSentinel(settings, logger, Date.now() + 1000)).rejects.toThrow(
      new RegExp(
        `^Gave up waiting for Redis "shop" through the sentinels at 127\\.0\\.0\\.1:${port} after \\d+ ms .*` +
          'Check REDIS_SENTINELS and REDIS_SENTINEL_NAME, or raise STARTUP_RETRY_MS\\.$',
      ),
    );
    const waits = lines.filter((l) => l.msg.startsWith('Waiting for'));
    expect(waits[0]?.msg).toMatch(
      /^Waiting for Redis "shop" through the sentinels at 127\.0\.0\.1:\d+ \(.*ECONNREFUSED/,
    );
  });
});

describe.skipIf(!toolAvailable('redis-server', redisServerInstalled()))('waitForRedis with a private Redis', () => {
  let redis: PrivateRedis | undefined;
  let client: RedisClientType | undefined;
  afterEach(async () => {
    client?.destroy();
    await redis?.stop();
  });

  it('connects, logs an outage once, and says when Redis is back', async () => {
    redis = await PrivateRedis.start();
    const { logger, lines } = recordingLogger();
    client = await waitForRedis(redis.url, config(), logger, Date.now() + 5000);
    expect(await client.ping()).toBe('PONG');
    await redis.kill();
    // Down for a while: the first error is logged as an outage, the rest at debug level.
    while (!lines.some((l) => l.msg.endsWith('still unavailable'))) await new Promise((r) => setTimeout(r, 20));
    await redis.restart();
    while (!lines.some((l) => l.msg.endsWith('is back'))) await new Promise((resolve) => setTimeout(resolve, 20));
    const lost = lines.filter((l) => l.msg.startsWith('Lost Redis'));
    expect(lost).toHaveLength(1);
    expect(lost[0]?.level).toBe(50); // error
    expect(lines.filter((l) => l.msg.endsWith('still unavailable')).every((l) => l.level === 20)).toBe(true); // debug
    expect(lines.at(-1)?.msg).toBe(`Redis at 127.0.0.1:${redis.port} is back`);
    expect(await client.ping()).toBe('PONG');
  });

  it('fails at once on a wrong password: no wait would fix it', async () => {
    redis = await PrivateRedis.start();
    const admin = createClient({ url: redis.url });
    await admin.connect();
    await admin.configSet('requirepass', 'right-password');
    admin.destroy();
    await expectFailsAtOnce(redis.url.replace('redis://', 'redis://:wrong-password@'), /WRONGPASS/);
  });

  it('fails at once on a database number the server does not have', async () => {
    redis = await PrivateRedis.start();
    await expectFailsAtOnce(`${redis.url}/99`, /DB index is out of range/);
  });

  /** Rejects naming `why` long before the 20 s it is given, which no scheduler delay comes near. */
  async function expectFailsAtOnce(url: string, why: RegExp) {
    const started = Date.now();
    const failure = waitForRedis(url, config(), recordingLogger().logger, Date.now() + 20_000);
    await expect(failure).rejects.toThrow(why);
    await expect(failure).rejects.toThrow(/^Cannot use Redis at 127\.0\.0\.1:\d+: .*Check .* REDIS_URL\.$/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }
});
