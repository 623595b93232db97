// A private Redis Sentinel deployment for the failover suite: one primary, one replica
// and three sentinels, each on a free port, with nothing on disk. The primary can be
// killed (SIGKILL) and started again; the sentinels then make it a replica of the new
// primary, as they would a server a supervisor restarts. The machine's shared Redis is
// never touched.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { freePort, waitForPort } from './redis-server.js';

/** True when redis-sentinel is on the PATH (Debian: apt-get install redis-sentinel). */
export function redisSentinelInstalled(): boolean {
  return spawnSync('redis-sentinel', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The master name the sentinels monitor. */
export const MASTER_NAME = 'shop';

type Server = { port: number; child: ChildProcess };

export class SentinelGroup {
  private readonly servers: Server[] = [];
  private readonly sentinels: ChildProcess[] = [];

  private constructor(
    private readonly dir: string,
    readonly sentinelPorts: number[],
  ) {}

  /**
   * The sentinels call the primary down after 1 s without an answer (down-after-milliseconds)
   * and need two of three to agree (quorum 2), so a failover takes a few seconds, not 30.
   */
  static async start(): Promise<SentinelGroup> {
    const dir = mkdtempSync(join(tmpdir(), 'shop-sentinel-'));
    const sentinelPorts = [await freePort(), await freePort(), await freePort()];
    const group = new SentinelGroup(dir, sentinelPorts);
    try {
      const primary = await freePort();
      await group.startServer(primary, []);
      await group.startServer(await freePort(), ['--replicaof', '127.0.0.1', String(primary)]);
      for (const port of sentinelPorts) await group.startSentinel(port, primary);
      await group.untilReplicated();
      return group;
    } catch (err) {
      await group.stop();
      throw err;
    }
  }

  /** REDIS_SENTINELS for the store. */
  get sentinelList(): string {
    return this.sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** The port of the server the sentinels call primary now. */
  async primaryPort(): Promise<number> {
    const client = createClient({ socket: { host: '127.0.0.1', port: this.sentinelPorts[0] } });
    await client.connect();
    try {
      const reply: unknown = await client.sendCommand(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME]);
      if (!Array.isArray(reply)) throw new Error(`the sentinels do not know the master ${MASTER_NAME}`);
      return Number(reply[1]);
    } finally {
      client.destroy();
    }
  }

  /**
   * How many times the sentinels have switched the primary so far, as the first sentinel
   * logged it (+switch-master): one per failover.
   */
  failovers(): number {
    const log = join(this.dir, `sentinel-${this.sentinelPorts[0]}.log`);
    return existsSync(log) ? readFileSync(log, 'utf8').split('+switch-master').length - 1 : 0;
  }

  /** SIGKILL to the current primary, as a crashed host would; returns its port. */
  async killPrimary(): Promise<number> {
    const port = await this.primaryPort();
    const server = this.servers.find((s) => s.port === port);
    if (!server) throw new Error(`no server of this group listens on ${port}`);
    await kill(server.child);
    return port;
  }

  /**
   * Starts the server on `port` again, empty, as a replica of the current primary: what an
   * operator does with a dead primary. Started as a primary, empty, it would be one until the
   * sentinels noticed, and a client that asked a sentinel not yet told of the failover would
   * write there, into a server that is about to be wiped by its first sync.
   */
  async restart(port: number): Promise<void> {
    const index = this.servers.findIndex((s) => s.port === port);
    const server = this.servers[index];
    if (!server) throw new Error(`no server of this group listens on ${port}`);
    this.servers.splice(index, 1);
    await this.startServer(port, ['--replicaof', '127.0.0.1', String(await this.primaryPort())]);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sentinels, ...this.servers.map((s) => s.child)].map(kill));
    // KEEP_SENTINEL_LOGS=1: each server's and sentinel's log stays behind, to read a failover by.
    if (process.env.KEEP_SENTINEL_LOGS) console.info(`Redis and sentinel logs kept in ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
  }

  private async startServer(port: number, extra: string[]): Promise<void> {
    // --dir: a replica's first sync writes a file there, even with --save "".
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir];
    args.push('--logfile', join(this.dir, `redis-${port}.log`));
    args.push(...extra);
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.servers.push({ port, child });
    await waitForPort(port, 5_000);
  }

  private async startSentinel(port: number, primary: number): Promise<void> {
    // Sentinel rewrites its configuration file as it learns the deployment: one each.
    const file = join(this.dir, `sentinel-${port}.conf`);
    writeFileSync(
      file,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${this.dir}`,
        `logfile ${join(this.dir, `sentinel-${port}.log`)}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primary} 2`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    this.sentinels.push(spawn('redis-sentinel', [file], { stdio: 'ignore' }));
    await waitForPort(port, 5_000);
  }

  /** The replica has finished its first sync: writes from now on reach it. */
  private async untilReplicated(): Promise<void> {
    const primary = this.servers[0];
    if (!primary) throw new Error('no primary');
    const client = createClient({ socket: { host: '127.0.0.1', port: primary.port } });
    await client.connect();
    try {
      // WAIT 1 answers 1 only once a replica is online and has this write.
      await client.set('shop:sync-probe', '1');
      for (let tries = 0; tries < 100; tries++) {
        const replicas: unknown = await client.sendCommand(['WAIT', '1', '100']);
        if (replicas === 1) return;
      }
      throw new Error('the replica did not sync with the primary within 10 s');
    } finally {
      client.destroy();
    }
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
