import net from 'node:net';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { asDatabaseUnavailable } from '../../src/db/unavailable.js';
import { UnavailableError } from '../../src/unavailable.js';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A server that accepts connections and never says a word. */
async function silentPort(): Promise<number> {
  const server = net.createServer((socket) => sockets.push(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (err: unknown) => err,
  );
}

describe('asDatabaseUnavailable', () => {
  it('recognises a refused connection', async () => {
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/x` });
    const err = await rejection(client.connect());
    expect(asDatabaseUnavailable(err)).toBeInstanceOf(UnavailableError);
  });

  it('recognises a connection that timed out, from the pool and from the client', async () => {
    const url = `postgres://postgres@127.0.0.1:${await silentPort()}/x`;
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 100 });
    pool.on('error', () => {});
    const fromPool = await rejection(pool.query('SELECT 1'));
    await pool.end();
    const fromClient = await rejection(
      new pg.Client({ connectionString: url, connectionTimeoutMillis: 100 }).connect(),
    );
    expect(asDatabaseUnavailable(fromPool)?.message).toMatch(/database is unavailable/);
    expect(asDatabaseUnavailable(fromClient)?.message).toMatch(/database is unavailable/);
  });

  it('tells down from full from busy by SQLSTATE, each with its own message', () => {
    const troubles = {
      unavailable: ['08000', '08003', '08006', '57P01', '57P02', '57P03', '53300'],
      full: ['53100', '53200'],
      busy: ['57014', '55P03', '40001', '40P01'],
    };
    for (const [trouble, codes] of Object.entries(troubles)) {
      for (const code of codes) {
        const found = asDatabaseUnavailable(Object.assign(new Error('pg'), { code }));
        expect(found?.trouble, code).toBe(trouble);
        expect(found?.message, code).toMatch(new RegExp(`^The database is ${trouble}`));
      }
    }
  });

  it('recognises a database that does not accept connections (ALLOW_CONNECTIONS false), not any 55000', () => {
    const closed = Object.assign(new Error('database "shop" is not currently accepting connections'), {
      code: '55000',
    });
    expect(asDatabaseUnavailable(closed)?.trouble).toBe('unavailable');
    const other = Object.assign(new Error('cannot execute nextval() in a read-only transaction'), { code: '55000' });
    expect(asDatabaseUnavailable(other)).toBeUndefined();
  });

  it('calls SQLite busy and full what they are, extended codes included', () => {
    const of = (code: string) => asDatabaseUnavailable(Object.assign(new Error('sqlite'), { code }))?.trouble;
    expect([of('SQLITE_BUSY'), of('SQLITE_BUSY_SNAPSHOT'), of('SQLITE_LOCKED')]).toEqual(['busy', 'busy', 'busy']);
    expect(of('SQLITE_FULL')).toBe('full');
  });

  it('recognises what node-postgres says without a code', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'timeout expired',
      'Query read timeout',
      'Client has encountered a connection error and is not queryable',
      'Client was closed and is not queryable',
    ]) {
      expect(asDatabaseUnavailable(new Error(message)), message).toBeInstanceOf(UnavailableError);
    }
  });

  it('recognises a refused connect to several addresses, and a cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(asDatabaseUnavailable(new AggregateError([refused]))).toBeInstanceOf(UnavailableError);
    expect(asDatabaseUnavailable(new Error('wrapped', { cause: refused }))).toBeInstanceOf(UnavailableError);
  });

  it('recognises SQLite busy past busy_timeout', () => {
    const file = `/tmp/shop-busy-${process.pid}-${Date.now()}.sqlite`;
    const first = new Sqlite(file);
    const second = new Sqlite(file, { timeout: 0 });
    try {
      first.exec('CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)');
      let busy: unknown;
      try {
        second.exec('BEGIN IMMEDIATE');
      } catch (err) {
        busy = err;
      }
      expect(asDatabaseUnavailable(busy)?.trouble).toBe('busy');
    } finally {
      first.close();
      second.close();
    }
  });

  it('leaves query errors and other dependencies alone', () => {
    for (const code of ['23505', '42P01', '22P02', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR']) {
      expect(asDatabaseUnavailable(Object.assign(new Error('query'), { code })), code).toBeUndefined();
    }
    expect(asDatabaseUnavailable(new Error('boom'))).toBeUndefined();
    expect(asDatabaseUnavailable('a string')).toBeUndefined();
    expect(asDatabaseUnavailable(new UnavailableError('sessions'))).toBeUndefined();
  });
});

describe('openDatabase', () => {
  it('rejects with an unavailable error when PostgreSQL cannot be reached', async () => {
    const err = await rejection(
      openDatabase(`postgres://postgres@127.0.0.1:${await closedPort()}/x`, { timeoutMs: 200 }),
    );
    expect(asDatabaseUnavailable(err)).toBeInstanceOf(UnavailableError);
  });
});
