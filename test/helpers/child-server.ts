// The real server (src/server.ts) in a child process on a free 127.0.0.1 port, for
// what only a process has: signals, exit codes, ports, start-up order, its output.
// Also RawConnection, an HTTP/1.1 client over a bare socket that sends exactly the
// bytes a test gives it, when it gives them (a body that arrives late, keep-alive).
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from './redis-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type ChildServerOptions = {
  /** Added to the defaults below; `undefined` removes a default. */
  env?: Record<string, string | undefined>;
  /** A port of the test's choosing (e.g. one it holds); a free one otherwise. */
  port?: number;
  /** Wait until GET /healthz answers 200 (default). False for servers expected to fail or to wait. */
  waitUntilReady?: boolean;
  entry?: string;
};

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

// Hang guards only, not measurements: a start on a machine busy with other work may take
// many times its usual second or two, and that is no failure.
const READY_TIMEOUT_MS = 120_000;
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class ChildServer {
  readonly exited: Promise<Exit>;
  private text = '';

  constructor(
    readonly port: number,
    private readonly child: ChildProcess,
    /** What start-up lines to wait for: none below LOG_LEVEL=info; with METRICS_PORT, that listener's too. */
    private readonly says: { listening: boolean; metrics: boolean } = { listening: false, metrics: false },
  ) {
    const collect = (chunk: Buffer) => {
      this.text += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    // 'close', not 'exit': it comes after the last output has been read.
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => running.delete(child));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Everything written to stdout and stderr so far, interleaved. */
  output(): string {
    return this.text;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.child.kill(signal);
  }

  /** Resolves with the first output line matching `pattern`; rejects on timeout or exit. */
  async waitForOutput(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exited = !this.running;
      if (exited) await this.exited;
      const line = this.text.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) return line;
      if (exited) throw new Error(`server exited before printing ${pattern}:\n${this.text}`);
      if (Date.now() > deadline) throw new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${this.text}`);
      await sleep(25);
    }
  }

  /**
   * True once this process says it listens on its port (and, with METRICS_PORT, on that one):
   * its signal handlers are in place from then on. An answer on the port alone proves
   * nothing: between freePort() and the child's own listen, on a machine running other
   * tests, another process may have been given the same port (a supertest server of the
   * shop answers /healthz 200 too), and a signal sent then kills a child still starting.
   */
  private saysItListens(): boolean {
    const own = new RegExp(`listening on http://\\S+:${this.port}\\b`);
    return (!this.says.listening || own.test(this.text)) && (!this.says.metrics || /Metrics on http/.test(this.text));
  }

  /** Resolves once the process says it listens and GET /healthz answers 200; rejects (with the output) if it exits first. */
  async ready(timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`server exited before it was ready:\n${this.text}`);
      if (this.saysItListens() && (await probe(this.port, '/healthz')) === 200) return;
      await sleep(50);
    }
    throw new Error(`server not ready within ${timeoutMs} ms:\n${this.text}`);
  }

  /** SIGKILL if still running; for afterEach, whatever the test did. */
  async stop(): Promise<Exit> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/**
 * Spawns `node --import tsx src/server.ts` with a clean environment (nothing from the
 * caller's shell, such as a stray REDIS_URL, leaks in): production, an in-memory
 * SQLite database, info-level logs.
 */
export async function startServer(options: ChildServerOptions = {}): Promise<ChildServer> {
  const port = options.port ?? (await freePort());
  const env: Record<string, string> = {};
  const merged = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    SESSION_SECRET: 'child-server-secret-that-is-at-least-32-chars',
    DATABASE_URL: ':memory:',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) env[key] = value;
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const listening = ['trace', 'debug', 'info'].includes(merged.LOG_LEVEL ?? 'info');
  const server = new ChildServer(port, child, {
    listening,
    metrics: listening && options.env?.METRICS_PORT !== undefined,
  });
  if (options.waitUntilReady !== false) {
    try {
      await server.ready();
    } catch (err) {
      await server.stop();
      throw err;
    }
  }
  return server;
}

/** The status of GET `path`, or undefined when nothing answers. One connection, closed after. */
export function probe(port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const conn = net.connect({ host: '127.0.0.1', port });
    let data = Buffer.alloc(0);
    conn.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
    });
    conn.once('error', () => resolve(undefined));
    conn.once('close', () => resolve(parseResponse(data)?.status));
    conn.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

export type RawResponse = { status: number; headers: Record<string, string>; body: string };

/** HTTP/1.1 over a bare socket: the test decides every byte and when it is sent. */
export class RawConnection {
  /** 'end' when the server closed the connection politely (FIN), 'error: …' on a reset. */
  readonly closed: Promise<string>;
  // Bytes, not text: Content-Length counts bytes and product names are not all ASCII.
  private data = Buffer.alloc(0);
  private consumed = 0;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
    });
    this.closed = new Promise((resolve) => {
      socket.once('error', (err) => resolve(`error: ${err.message}`));
      socket.once('close', () => resolve('end'));
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Waits for the next complete response (Content-Length bodies), interim ones (100 Continue) included. */
  async next(timeoutMs = 60_000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = parseResponse(this.data.subarray(this.consumed));
      if (parsed) {
        this.consumed += parsed.length;
        return parsed;
      }
      const seen = this.data.subarray(this.consumed).toString();
      if (this.socket.destroyed) throw new Error(`connection closed before a response: ${seen}`);
      if (Date.now() > deadline) throw new Error(`no response within ${timeoutMs} ms: ${seen}`);
      await sleep(10);
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function parseResponse(bytes: Buffer): (RawResponse & { length: number }) | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine.split(' ')[1]);
  // Interim responses (100 Continue) have no body.
  const size = status < 200 ? 0 : Number(headers['content-length'] ?? 0);
  const bodyStart = end + 4;
  if (bytes.length - bodyStart < size) return undefined;
  const body = bytes.subarray(bodyStart, bodyStart + size).toString();
  return { status, headers, body, length: bodyStart + size };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
