import { describe, expect, it } from 'vitest';
import { LocalSessionLock } from '../../src/session/lock.js';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LocalSessionLock', () => {
  it('runs holders of one key one after another, in arrival order', async () => {
    const lock = new LocalSessionLock();
    const log: string[] = [];
    await Promise.all(
      [1, 2, 3].map(async (n) => {
        const release = await lock.acquire('k', 1000);
        log.push(`in ${n}`);
        await tick();
        log.push(`out ${n}`);
        await release?.();
      }),
    );
    expect(log).toEqual(['in 1', 'out 1', 'in 2', 'out 2', 'in 3', 'out 3']);
  });

  it('does not make different keys wait for each other', async () => {
    const lock = new LocalSessionLock();
    const held = await lock.acquire('a', 1000);
    const other = await lock.acquire('b', 50);
    expect(other).toBeDefined();
    await other?.();
    await held?.();
  });

  it('gives up after the wait, and the queue still moves on', async () => {
    const lock = new LocalSessionLock();
    const first = await lock.acquire('k', 1000);
    expect(await lock.acquire('k', 20)).toBeUndefined();
    const third = lock.acquire('k', 1000);
    await first?.();
    const release = await third;
    expect(release).toBeDefined();
    await release?.();
  });

  it('forgets a key once nobody holds or waits for it', async () => {
    const lock = new LocalSessionLock();
    const release = await lock.acquire('k', 1000);
    await release?.();
    expect((lock as unknown as { tails: Map<string, unknown> }).tails.size).toBe(0);
  });
});

describe('serializeBySession', () => {
  it('frees the lock of a request whose client hung up while it waited', async () => {
    const { makeShop, json } = await import('../helpers/shop.js');
    const { default: request } = await import('supertest');
    const http = await import('node:http');
    const shop = await makeShop({ demoAccounts: false });
    const server = shop.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const first = await request(server).get('/').expect(200);
    const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
    // Several requests queue on one session; all but the first are abandoned mid-wait.
    const abandoned = Array.from({ length: 4 }, () => {
      const req = http.get({ port, host: '127.0.0.1', path: '/cart', headers: { Cookie: cookie, ...json } });
      req.on('error', () => {});
      setTimeout(() => req.destroy(), 5);
      return req;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(abandoned).toHaveLength(4);
    const res = await request(server).get('/cart').set('Cookie', cookie).set(json);
    expect(res.status).toBe(200);
    server.close();
  });
});
