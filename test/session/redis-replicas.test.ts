// REDIS_WAIT_REPLICAS against real redis-servers of the test's own: a session write is
// kept only once a replica has it. Alone, a primary has no replica to confirm anything,
// so every write is refused and put back as it was; beside a replica, writes go through.
import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openWaitingConnection, replicated } from '../../src/redis.js';
import { FencedStore } from '../../src/session/store/fenced-store.js';
import { GuardedStore } from '../../src/session/store/guarded-store.js';
import { RedisSessionLock } from '../../src/session/store/redis-lock.js';
import { UNDO_FENCED, WRITE_FENCED } from '../../src/session/store/redis-lock-scripts.js';
import { UnavailableError } from '../../src/unavailable.js';
import { redisSentinelInstalled, SentinelGroup } from '../helpers/redis-sentinel.js';
import { redisServerInstalled, usePrivateRedis } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';

const available = toolAvailable('redis-server', redisServerInstalled());
const withReplica = available && toolAvailable('redis-sentinel', redisSentinelInstalled());

const lockOn = (redis: RedisClientType) =>
  new RedisSessionLock(redis, { leaseMs: 10_000, callTimeoutMs: 1_000, waitReplicas: 1 });

/** Asks until `check` is true, for at most 5 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 5_000; !(await check()); ) {
    if (Date.now() > deadline) throw new Error('never happened');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const session = (n: number): SessionData =>
  ({ cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) }, n }) as unknown as SessionData;

describe.skipIf(!available)('REDIS_WAIT_REPLICAS=1 on a primary without replicas', () => {
  const redis = usePrivateRedis();

  it('refuses a fenced write no replica confirmed, and puts back what the key held, with its expiry', async () => {
    const client = await redis.client();
    await client.set('shop:sess:kept', '{"n":1}', { expiration: { type: 'EX', value: 600 } });
    const handle = await lockOn(client).acquire('kept', 1000);
    const write = handle?.writeFenced?.('shop:sess:kept', '{"n":2}', 60);
    await expect(write).rejects.toMatchObject({ dependency: 'sessions', trouble: 'unreplicated' });
    expect(await client.get('shop:sess:kept')).toBe('{"n":1}');
    expect(await client.ttl('shop:sess:kept')).toBeGreaterThan(60);
    await handle?.release();
  });

  it('deletes again a session the refused write would have created', async () => {
    const client = await redis.client();
    const handle = await lockOn(client).acquire('new', 1000);
    await expect(handle?.writeFenced?.('shop:sess:new', '{"n":1}', 60)).rejects.toBeInstanceOf(UnavailableError);
    expect(await client.exists('shop:sess:new')).toBe(0);
    await handle?.release();
  });

  it('keeps the lock until a write its caller gave up on is undone, so the undo still finds it ours', async () => {
    const client = await redis.client();
    await client.set('shop:sess:gave-up', '{"n":1}', { expiration: { type: 'EX', value: 600 } });
    const handle = await lockOn(client).acquire('gave-up', 1000);
    // The store's bound ran out first: the request answered 503 and let go of the lock.
    const write = handle?.writeFenced?.('shop:sess:gave-up', '{"n":2}', 60).catch((err: unknown) => err);
    await handle?.release();
    expect(await write).toMatchObject({ trouble: 'unreplicated' });
    expect(await client.get('shop:sess:gave-up')).toBe('{"n":1}');
    expect(await client.exists('shop:lock:gave-up')).toBe(0);
  });

  it('refuses an unfenced write (a new session) too, but answers a destroy, which cannot be undone', async () => {
    const client = await redis.client();
    const store = new FencedStore(new RedisStore({ client, prefix: 'shop:sess:' }), {
      redis: { client, callTimeoutMs: 200, waitReplicas: 1 },
    });
    const set = new Promise<void>((resolve, reject) =>
      store.set('unfenced', session(1), (err) => (err ? reject(err) : resolve())),
    );
    await expect(set).rejects.toMatchObject({ trouble: 'unreplicated' });
    const destroyed = await new Promise((resolve) => store.destroy('unfenced', (err) => resolve(err ?? 'done')));
    expect(destroyed).toBe('done');
    expect(await client.exists('shop:sess:unfenced')).toBe(0);
  });

  it("answers a destroy that deleted within the store call's bound, however long the replicas take", async () => {
    const client = await redis.client();
    await client.set('shop:sess:guest', '{"n":1}');
    const fenced = new FencedStore(new RedisStore({ client, prefix: 'shop:sess:' }), {
      redis: { client, callTimeoutMs: 400, waitReplicas: 1 },
    });
    const store = new GuardedStore(fenced, 400);
    // The DEL lands in time (150 ms of the 200 it may start within); no replica will confirm it.
    redis.server().pause();
    const destroyed = new Promise((resolve) => store.destroy('guest', (err) => resolve(err ?? 'done')));
    await new Promise((resolve) => setTimeout(resolve, 150));
    redis.server().resume();

    // Deleted, and answered so: a 503 here would refuse a login whose guest cart is gone.
    expect(await destroyed).toBe('done');
    expect(await client.exists('shop:sess:guest')).toBe(0);
  });

  it('holds up no read while a write waits for a replica: the write and its WAIT have a connection of their own', async () => {
    const client = await redis.client();
    const admin = await redis.client();
    const waiting = await openWaitingConnection(client, 1_000);
    onTestFinished(() => waiting.destroy());
    // A 4 s bound: the WAIT blocks for 3 s (REPLICA_WINDOW) before the write is undone.
    const lock = new RedisSessionLock(client, { leaseMs: 10_000, callTimeoutMs: 4_000, waitReplicas: 1, waiting });
    const handle = await lock.acquire('busy', 1000);
    const write = handle?.writeFenced?.('shop:sess:busy', '{"n":1}', 60).catch((err: unknown) => err);
    // A client blocked (flag b) in WAIT, as Redis lists its connections.
    const blockedInWait = async () =>
      /flags=[a-zA-Z]*b[a-zA-Z]* .*cmd=wait/.test(String(await admin.sendCommand(['CLIENT', 'LIST'])));
    await eventually(blockedInWait);

    // Read on the shared connection: answered while the WAIT is still blocked.
    expect(await client.get('shop:sess:busy')).toBe('{"n":1}');
    expect(await blockedInWait()).toBe(true);

    expect(await write).toMatchObject({ trouble: 'unreplicated' });
    await handle?.release();
  });

  it('WAIT is never sent with 0, which would block for ever', async () => {
    const client = await redis.client();
    await client.set('shop:probe', '1');
    expect(await replicated((args) => client.sendCommand(args), 1, 0)).toBe(false);
  });
});

describe.skipIf(!available)('WRITE_FENCED sent again after its answer was lost', () => {
  const redis = usePrivateRedis();

  it('finds its own earlier write and says written, even past its deadline; any other value is too late', async () => {
    const client = await redis.client();
    await client.set('shop:lock:again', 'token');
    await client.set('shop:sess:again', '{"n":2}');
    const past = String(Date.now() - 60_000);
    const send = (value: string) =>
      client.eval(WRITE_FENCED, {
        keys: ['shop:lock:again', 'shop:sess:again'],
        arguments: ['token', '10000', value, '60', past],
      });
    expect(await send('{"n":2}')).toBe(1);
    expect(await send('{"n":3}')).toBe(-1);
    expect(await client.get('shop:sess:again')).toBe('{"n":2}');
  });
});

describe.skipIf(!available)('UNDO_FENCED arriving late', () => {
  const redis = usePrivateRedis();

  it('leaves a newer write in place: it undoes only the write it was sent for', async () => {
    const client = await redis.client();
    await client.set('shop:lock:undo', 'token');
    await client.set('shop:sess:undo', '{"n":3}');
    const undo = (written: string) =>
      client.eval(UNDO_FENCED, {
        keys: ['shop:lock:undo', 'shop:sess:undo'],
        arguments: ['token', '{"n":1}', '-1', written],
      });
    // Sent for the write of {"n":2}, which {"n":3} has replaced since.
    expect(await undo('{"n":2}')).toBe(2);
    expect(await client.get('shop:sess:undo')).toBe('{"n":3}');
    expect(await undo('{"n":3}')).toBe(1);
    expect(await client.get('shop:sess:undo')).toBe('{"n":1}');
  });
});

describe.skipIf(!withReplica)('REDIS_WAIT_REPLICAS=1 beside a replica', () => {
  let group: SentinelGroup;
  let client: RedisClientType;
  beforeAll(async () => {
    group = await SentinelGroup.start();
    client = createClient({ socket: { host: '127.0.0.1', port: await group.primaryPort() } });
    await client.connect();
  }, 30_000);
  afterAll(async () => {
    client?.destroy();
    await group?.stop();
  });

  it('keeps a fenced write once the replica has it', async () => {
    const handle = await lockOn(client).acquire('replicated', 1000);
    expect(await handle?.writeFenced?.('shop:sess:replicated', '{"n":1}', 60)).toBe(true);
    expect(await client.get('shop:sess:replicated')).toBe('{"n":1}');
    await handle?.release();
  });
});
