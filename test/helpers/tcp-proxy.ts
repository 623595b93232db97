// A TCP proxy between a test and PostgreSQL, so the network can misbehave on cue
// without touching the shared server: the database not there yet (nothing listening),
// gone (every connection cut, new ones refused), back again on the same port, or
// stalled (connections stay open and nothing gets through, as with a hung server or
// a dropped link). One helper, so every test stages these outages the same way.
import net from 'node:net';
import { freePort } from './redis-server.js';

/** 'forward' passes bytes both ways; 'blackhole' lets nothing through, on open connections and new ones. */
export type TcpProxyMode = 'forward' | 'blackhole';

export type TcpProxy = {
  /** The port the proxy listens on (or will, once started). */
  readonly port: number;
  /** The target URL with the proxy's host and port in it. */
  readonly url: string;
  /** Listens (again) on the same port in the given mode: the database is "back". */
  start(mode?: TcpProxyMode): Promise<void>;
  /** From now on nothing gets through, on open connections too; they stay open. */
  stall(): void;
  /** Cuts every open connection and refuses new ones, as a stopped server does. */
  stop(): Promise<void>;
  close(): Promise<void>;
};

/** A proxy to targetUrl that is listening, in 'forward' mode. */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const proxy = proxyOn(targetUrl, 0);
  await proxy.start();
  return proxy;
}

/** A proxy to targetUrl on a port known now but not listening yet: the database is not up. */
export async function createTcpProxy(targetUrl: string): Promise<TcpProxy> {
  return proxyOn(targetUrl, await freePort());
}

function proxyOn(targetUrl: string, initialPort: number): TcpProxy {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  let mode: TcpProxyMode = 'forward';
  let server: net.Server | undefined;
  let port = initialPort;

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const onConnection = (client: net.Socket) => {
    track(client);
    // Blackhole: the connection opens, and nothing ever answers.
    if (mode === 'blackhole') return;
    const upstream = net.connect({ host: target.hostname, port: Number(target.port || 5432) });
    track(upstream);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      // Checked per chunk, so a stall also silences connections already open.
      from.on('data', (chunk: Buffer) => {
        if (mode === 'forward') to.write(chunk);
      });
      from.on('close', () => to.destroy());
    }
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = net.createServer(onConnection);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        const address = next.address();
        if (address && typeof address === 'object') port = address.port;
        server = next;
        resolve();
      });
    });
  const stop = async () => {
    const current = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  return {
    get port() {
      return port;
    },
    get url() {
      const url = new URL(targetUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    async start(next: TcpProxyMode = 'forward') {
      mode = next;
      if (!server) await listen();
    },
    stall() {
      mode = 'blackhole';
    },
    stop,
    close: stop,
  };
}
