// A private redis-server for fault tests: started on a free port, paused, killed
// and restarted at will. The machine's shared Redis is never touched.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll } from 'vitest';

/** True when a redis-server binary is on the PATH. */
export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class PrivateRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
  ) {}

  /** `extraArgs`: more redis-server options, e.g. `['--appendonly', 'yes', '--dir', dir]`. */
  static async start(extraArgs: string[] = []): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), extraArgs);
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The redis-server process, for reading its CPU time (the bench). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts (again) on the same port, with nothing on disk unless `extraArgs` say otherwise. */
  async restart(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn('redis-server', [...args, ...this.extraArgs], { stdio: 'ignore' });
    this.child = child;
    await waitForPort(this.port, 5_000);
  }

  /** SIGSTOP: the server keeps its connections but answers nothing, like a hung host. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Kills the server outright (SIGKILL) and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM: Redis shuts down as on a deploy or a reboot, writing out what it keeps on disk. */
  async shutDown(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
  }
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not open port ${port} within ${timeoutMs} ms`);
}

/**
 * A private redis-server for the enclosing describe block, started before its tests
 * and stopped after them with every client made through `client()`.
 */
export function usePrivateRedis() {
  let server: PrivateRedis | undefined;
  const clients: RedisClientType[] = [];
  beforeAll(async () => {
    server = await PrivateRedis.start();
  });
  afterAll(async () => {
    for (const c of clients) await c.disconnect().catch(() => {});
    await server?.stop();
  });
  const started = (): PrivateRedis => {
    if (server === undefined) throw new Error('the private redis-server is not started yet');
    return server;
  };
  return {
    server: started,
    /** A connected client that fails at once while disconnected (as the app's does). */
    async client(): Promise<RedisClientType> {
      const c: RedisClientType = createClient({ url: started().url, disableOfflineQueue: true });
      c.on('error', () => {});
      await c.connect();
      clients.push(c);
      return c;
    },
  };
}
