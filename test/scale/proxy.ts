// HAProxy for the scale suites, run from deploy/haproxy.cfg itself: only the ports and
// the certificate's path are swapped for the test's own, so the tested configuration is
// the documented one. A throwaway self-signed certificate lets HAProxy terminate TLS as
// it would in production (which is what makes X-Forwarded-Proto: https honest).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/redis-server.js';

export const TEMPLATE = 'deploy/haproxy.cfg';
// Debian puts haproxy in /usr/sbin, which is not on an ordinary user's PATH.
export const HAPROXY = ['haproxy', '/usr/sbin/haproxy'].find((bin) => spawnSync(bin, ['-v']).status === 0);
const TEMPLATE_BIND = ':8080 ';
const TEMPLATE_CERT = '/etc/haproxy/certs/session-shop.pem';
const SERVER_LINE = /^(\s*)server app\d+ 127\.0\.0\.1:\d+(.*)$/gm;

/** deploy/haproxy.cfg with its listen port, its instances and its certificate replaced. */
export function configFor(template: string, listen: number, instances: number[], certPath: string): string {
  const servers = [...template.matchAll(SERVER_LINE)];
  // Fail loudly if the template changes shape: the swap below would silently test something else.
  if (servers.length !== 3 || !template.includes(TEMPLATE_BIND) || !template.includes(TEMPLATE_CERT)) {
    throw new Error(`${TEMPLATE} no longer has "bind :8080", the certificate path and 3 server lines`);
  }
  const [indent = '', options = ''] = servers[0]?.slice(1) ?? [];
  const ours = instances.map((port, i) => `${indent}server app${i + 1} 127.0.0.1:${port}${options}`).join('\n');
  let first = true;
  return template
    .replace(TEMPLATE_BIND, `127.0.0.1:${listen} `)
    .replace(TEMPLATE_CERT, certPath)
    .replace(SERVER_LINE, () => {
      const line = first ? ours : '';
      first = false;
      return line;
    });
}

export class HaProxy {
  private output = '';

  private constructor(
    readonly port: number,
    readonly ca: string,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString('utf8');
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(instances: number[]): Promise<HaProxy> {
    const dir = mkdtempSync(join(tmpdir(), 'shop-haproxy-'));
    const { pem, ca } = selfSignedCertificate(dir);
    const port = await freePort();
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(config, configFor(readFileSync(TEMPLATE, 'utf8'), port, instances, pem));
    // -db: foreground, no daemon, logs on stdout (the config's `log stdout`).
    const child = spawn(HAPROXY ?? 'haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const proxy = new HaProxy(port, ca, dir, child);
    await proxy.waitUntilListening(5_000);
    return proxy;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** HAProxy's own log: request lines, and "Server instances/app1 is DOWN, reason: …". */
  get log(): string {
    return this.output;
  }

  /** How often HAProxy has put server `name` (app1, app2…) back in rotation: "Server instances/app1 is UP". */
  timesUp(name: string): number {
    return this.output.split(`Server instances/${name} is UP`).length - 1;
  }

  /**
   * Why HAProxy took servers out of rotation, in order: "Layer7 wrong status" when it saw
   * /readyz fail, "Layer4 connection problem" when the instance no longer listened.
   * (Each event is written twice, to the log and as a warning: the warnings are counted.)
   */
  downReasons(): string[] {
    return [...this.output.matchAll(/^\[WARNING\].*Server instances\/(app\d+) is DOWN, reason: ([^,]+)/gm)].map(
      (m) => `${m[1]}: ${m[2]}`,
    );
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitUntilListening(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`haproxy exited at start:\n${this.output}`);
      if (await canConnect(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`haproxy did not listen on ${this.port} within ${timeoutMs} ms:\n${this.output}`);
  }
}

/** A P-256 certificate for 127.0.0.1, and the PEM HAProxy wants (certificate then key). */
function selfSignedCertificate(dir: string): { pem: string; ca: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const made = spawnSync('openssl', [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
    ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ...['-keyout', key, '-out', cert],
  ]);
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr.toString()}`);
  const ca = readFileSync(cert, 'utf8');
  const pem = join(dir, 'session-shop.pem');
  writeFileSync(pem, ca + readFileSync(key, 'utf8'));
  return { pem, ca };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
