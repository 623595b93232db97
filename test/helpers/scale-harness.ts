// Several real Session Shop processes for the scale suites (test/scale/): a private
// redis-server, a PostgreSQL database of their own, N instances of src/server.ts and,
// optionally, HAProxy in front of them with deploy/haproxy.cfg. Everything started
// here is stopped by Cluster.stop(), and killed outright if the test process exits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { HAPROXY, HaProxy } from '../scale/proxy.js';
import { eventually } from '../scale/timing.js';
import { type ChildServer, type Exit, startServer } from './child-server.js';
import { createTestDatabase, type TestDatabase } from './postgres-db.js';
import { PrivateRedis } from './redis-server.js';
import { POSTGRES_URL, serviceAvailable, toolAvailable } from './services.js';

/** The store writes its log at least once a second (src/server.ts): by then, every line logged so far is out. */
export const LOG_FLUSHED_MS = 1500;

/** True when redis-server, haproxy, openssl and PostgreSQL are all there; else ONE line says why. */
export async function scaleSuiteAvailable(): Promise<boolean> {
  // && stops at the first missing piece, so a bare machine prints one line, not four.
  return (
    toolAvailable('redis-server', runs('redis-server', '--version')) &&
    toolAvailable('haproxy', HAPROXY !== undefined) &&
    toolAvailable('openssl', runs('openssl', 'version')) &&
    (await serviceAvailable('PostgreSQL', POSTGRES_URL, 'scale suites'))
  );
}

function runs(program: string, ...args: string[]): boolean {
  return spawnSync(program, args, { stdio: 'ignore' }).status === 0;
}

export const SECRET = 'scale-suite-secret-that-is-longer-than-32-characters';

/** What every instance gets: production, as deployed behind deploy/haproxy.cfg. */
export function instanceEnv(redisUrl: string, databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    SESSION_SECRET: SECRET,
    REDIS_URL: redisUrl,
    DATABASE_URL: databaseUrl,
    // HAProxy runs on the same host: trust exactly loopback, so req.secure follows its X-Forwarded-Proto.
    TRUST_PROXY: 'loopback',
    // The access log's "request completed" lines tell which instance served what.
    LOG_LEVEL: 'info',
    STORE_TIMEOUT_MS: '1000',
  };
}

export type ClusterOptions = { instances: number; proxy?: boolean; env?: Record<string, string> };

export class Cluster {
  /** Why instances crashed while starting together (each was then started again, alone). */
  readonly startFailures: string[] = [];
  readonly instances: ChildServer[] = [];
  /** Instances restart() replaced, kept for their logs. */
  readonly retired: ChildServer[] = [];
  proxy: HaProxy | undefined;

  private constructor(
    readonly redis: PrivateRedis,
    readonly db: TestDatabase,
    readonly env: Record<string, string>,
  ) {}

  static async start(options: ClusterOptions): Promise<Cluster> {
    const redis = await PrivateRedis.start();
    const db = await createTestDatabase('scale').catch(async (err: unknown) => {
      await redis.kill();
      throw err;
    });
    const cluster = new Cluster(redis, db, { ...instanceEnv(redis.url, db.url), ...options.env });
    // Should the test process exit without afterAll, no child may outlive it.
    process.once('exit', cluster.killNow);
    try {
      await cluster.startInstances(options.instances);
      if (options.proxy) cluster.proxy = await HaProxy.start(cluster.instances.map((i) => i.port));
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /** All at once, as a deployment starts them: they migrate and seed one empty database together. */
  private async startInstances(count: number): Promise<void> {
    const attempts = await Promise.allSettled(Array.from({ length: count }, () => startServer({ env: this.env })));
    for (const attempt of attempts) {
      if (attempt.status === 'fulfilled') {
        this.instances.push(attempt.value);
        continue;
      }
      // Only a crash counts against the app: on a loaded CI machine three tsx start-ups
      // at once may simply be slow (child-server.ts says "not ready within …" then).
      const why = String(attempt.reason);
      if (/exited/.test(why)) this.startFailures.push(why);
      else console.warn(`scale suite: an instance was slow to start, starting it again: ${why.split('\n')[0]}`);
      // Once more, alone: the rest of the suite still needs its instances.
      this.instances.push(await startServer({ env: this.env }));
    }
  }

  /**
   * One step of a rolling deploy: SIGTERM instance `index`, wait for it to exit, and start
   * it again on the same port, so the proxy's server line points at the new process.
   * Resolves once the new one answers /healthz, with how the old one exited.
   */
  async restart(index: number): Promise<Exit> {
    const old = this.instances[index];
    if (!old) throw new Error(`no instance ${index}`);
    old.kill('SIGTERM');
    const exit = await old.exited;
    this.retired.push(old);
    this.instances[index] = await startServer({ env: this.env, port: old.port });
    return exit;
  }

  /**
   * How many requests each instance logged as completed, for the given method and path,
   * once `expected` of them have been logged in all (within LOG_FLUSHED_MS).
   */
  async servedBy(method: string, path: string, expected: number): Promise<number[]> {
    const count = () =>
      this.instances.map(
        (_, i) => this.servedByInstance(i).filter((r) => r.method === method && r.url === path).length,
      );
    await eventually(`${expected} × ${method} ${path} in the access logs`, LOG_FLUSHED_MS, async () => {
      const counts = count();
      return counts.reduce((sum, n) => sum + n, 0) >= expected || counts;
    });
    return count();
  }

  /** Every request instance `index` logged as completed. */
  servedByInstance(index: number): Completed[] {
    return completedRequests(this.instances[index]?.output() ?? '');
  }

  /** Writes every process's output to a fresh directory and returns its path, for a failed run. */
  saveLogs(): string {
    const dir = mkdtempSync(join(tmpdir(), 'shop-scale-logs-'));
    this.instances.forEach((instance, i) => {
      writeFileSync(join(dir, `instance-${i + 1}-port-${instance.port}.log`), instance.output());
    });
    this.retired.forEach((instance, i) => {
      writeFileSync(join(dir, `retired-${i + 1}-port-${instance.port}.log`), instance.output());
    });
    if (this.proxy) writeFileSync(join(dir, 'haproxy.log'), this.proxy.log);
    writeFileSync(join(dir, 'start-failures.log'), this.startFailures.join('\n\n'));
    return dir;
  }

  // For process 'exit', so synchronous: each stop() sends its signal before its first await.
  // child-server.ts kills the instances itself.
  private readonly killNow = () => {
    void this.proxy?.stop();
    void this.redis.kill();
  };

  /** Stops everything; with `failed`, first keeps the logs and prints one line saying where. */
  async stop(failed = false): Promise<void> {
    if (failed) console.warn(`scale suite failed: instance and proxy logs kept in ${this.saveLogs()}`);
    process.removeListener('exit', this.killNow);
    await Promise.allSettled([this.proxy?.stop(), ...this.instances.map((i) => i.stop())]);
    await this.redis.kill();
    await this.db.drop();
  }
}

type Completed = { method: string; url: string; status: number; id: string };

/** The access log's "request completed" lines out of an instance's stdout (web/http/logging.ts). */
export function completedRequests(output: string): Completed[] {
  const found: Completed[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"request completed"')) continue;
    try {
      const entry = JSON.parse(line) as {
        req?: { method?: string; url?: string; id?: string };
        res?: { statusCode?: number };
      };
      const { method = '', url = '', id = '' } = entry.req ?? {};
      found.push({ method, url, status: entry.res?.statusCode ?? 0, id });
    } catch {
      // The last line, still being written: not a request we can count yet.
    }
  }
  return found;
}

/**
 * Starts a cluster before the suite's tests and always stops it after them, keeping
 * the logs when a test failed. Returns a getter, as the cluster exists only once
 * beforeAll has run.
 */
export function useCluster(options: ClusterOptions): () => Cluster {
  let cluster: Cluster | undefined;
  let failed = false;
  beforeAll(async () => {
    cluster = await Cluster.start(options);
  });
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      failed = true;
    });
  });
  afterAll(async () => {
    await cluster?.stop(failed);
  });
  return () => {
    if (!cluster) throw new Error('the cluster did not start (see beforeAll)');
    return cluster;
  };
}
