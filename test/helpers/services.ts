// Real Redis and PostgreSQL for the service suites. On a machine without them the
// suite skips with a line saying why; with REQUIRE_SERVICES=1 (set by .ci/run)
// a missing service fails the run instead, so CI always exercises them.
import net from 'node:net';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The variable that points each service's suites elsewhere. */
const URL_VARIABLE = { Redis: 'TEST_REDIS_URL', PostgreSQL: 'TEST_POSTGRES_URL' } as const;

/** Returns true when the suite should run; prints why when it should not. */
export async function serviceAvailable(
  name: keyof typeof URL_VARIABLE,
  url: string,
  suite = `${name} suite`,
): Promise<boolean> {
  if (await reachable(url)) return true;
  const why = `${name} is not reachable at ${url}`;
  if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${why}, and REQUIRE_SERVICES=1 requires it`);
  console.warn(`Skipping the ${suite}: ${why} (set ${URL_VARIABLE[name]} to point elsewhere).`);
  return false;
}

/** Like serviceAvailable, for a program this machine may lack (redis-server, haproxy). */
export function toolAvailable(name: string, installed: boolean): boolean {
  if (installed) return true;
  const why = `${name} is not installed`;
  if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${why}, and REQUIRE_SERVICES=1 requires it`);
  console.warn(`Skipping the suites that need ${name}: ${why} (apt-get install ${name}).`);
  return false;
}
