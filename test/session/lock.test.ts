import { describe, expect, it, vi } from 'vitest';
import { LocalSessionLock, SessionLockLostError, SessionQueueFullError } from '../../src/session/store/lock.js';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LocalSessionLock', () => {
  it('runs holders of one key one after another, in arrival order', async () => {
    const lock = new LocalSessionLock();
    const log: string[] = [];
    await Promise.all(
      [1, 2, 3].map(async (n) => {
        const handle = await lock.acquire('k', 1000);
        log.push(`in ${n}`);
        await tick();
        log.push(`out ${n}`);
        await handle?.release();
      }),
    );
    expect(log).toEqual(['in 1', 'out 1', 'in 2', 'out 2', 'in 3', 'out 3']);
  });

  it('refuses a waiter past maxWaiting at once, counting per key, and takes waiters again once the queue moves', async () => {
    const lock = new LocalSessionLock(2);
    const holder = await lock.acquire('k', 1000);
    const waiting = [lock.acquire('k', 1000), lock.acquire('k', 1000)];
    await expect(lock.acquire('k', 1000)).rejects.toBeInstanceOf(SessionQueueFullError);
    const otherKey = await lock.acquire('other', 1000); // another session's queue is its own
    expect(otherKey).toBeDefined();
    await holder?.release();
    const next = await waiting[0];
    const again = lock.acquire('k', 1000); // one place freed up
    await next?.release();
    await (await waiting[1])?.release();
    await (await again)?.release();
    await otherKey?.release();
  });

  it('does not make different keys wait for each other', async () => {
    const lock = new LocalSessionLock();
    const held = await lock.acquire('a', 1000);
    const other = await lock.acquire('b', 50);
    expect(other).toBeDefined();
    await other?.release();
    await held?.release();
  });

  it('gives up after the wait, and the queue still moves on', async () => {
    const lock = new LocalSessionLock();
    const first = await lock.acquire('k', 1000);
    expect(await lock.acquire('k', 20)).toBeUndefined();
    const third = lock.acquire('k', 1000);
    await first?.release();
    const handle = await third;
    expect(handle).toBeDefined();
    await handle?.release();
  });

  it('forgets a key once nobody holds or waits for it', async () => {
    const lock = new LocalSessionLock();
    expect(lock.hasWaiters('k')).toBe(false);
    const handle = await lock.acquire('k', 1000);
    await handle?.release();
    expect(lock.size).toBe(0);
  });

  it('hands the lock on once however often a holder releases it', async () => {
    const lock = new LocalSessionLock();
    const first = await lock.acquire('k', 1000);
    const second = lock.acquire('k', 1000);
    const third = lock.acquire('k', 1000);
    await first?.release();
    await first?.release();
    const secondHandle = await second;
    // The second release handed nothing on: the third still waits, the second still holds.
    expect(lock.hasWaiters('k')).toBe(true);
    expect(await secondHandle?.confirm()).toBe(true);
    await secondHandle?.release();
    expect(lock.hasWaiters('k')).toBe(false);
    const thirdHandle = await third;
    expect(await thirdHandle?.confirm()).toBe(true);
    await thirdHandle?.release();
    expect(lock.size).toBe(0);
  });

  it('stops the wait clock of a waiter once it gets the lock, so it cannot time out a later waiter', async () => {
    vi.useFakeTimers();
    try {
      const lock = new LocalSessionLock();
      const holder = await lock.acquire('k', 1000);
      const quick = lock.acquire('k', 100);
      const patient = lock.acquire('k', 10_000);
      await holder?.release();
      const quickHandle = await quick;
      expect(vi.getTimerCount()).toBe(1); // only the patient waiter's clock still runs
      await vi.advanceTimersByTimeAsync(100);
      expect(lock.hasWaiters('k')).toBe(true);
      await quickHandle?.release();
      expect(await patient).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('confirms a held lock and refuses one that was abandoned', async () => {
    const lock = new LocalSessionLock();
    const handle = await lock.acquire('k', 1000);
    expect(await handle?.confirm()).toBe(true);
    handle?.abandon();
    expect(await handle?.confirm()).toBe(false);
    const next = await lock.acquire('k', 50);
    expect(next).toBeDefined();
    await next?.release();
  });

  it('turns waiters away at once and frees every key on releaseAll', async () => {
    vi.useFakeTimers(); // no waiter's own timeout can fire: only releaseAll can answer it
    try {
      const lock = new LocalSessionLock();
      const holder = await lock.acquire('k', 1000);
      await lock.acquire('other', 1000);
      const answers: unknown[] = [];
      const waiters = [lock.acquire('k', 5000), lock.acquire('other', 5000)];
      for (const waiter of waiters) void waiter.then((handle) => answers.push(handle));
      await lock.releaseAll();
      await vi.advanceTimersByTimeAsync(0); // lets the answers arrive; moves no waiter's clock
      expect(answers).toEqual([undefined, undefined]);
      expect(lock.size).toBe(0);
      expect(vi.getTimerCount()).toBe(0); // their wait timers are cleared, not left to fire
      // The old holder's release later gives nothing away: the key is free for anyone.
      await holder?.release();
      expect(lock.tryAcquire('k')).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says to the shopper what happened and what to do', () => {
    expect(new SessionLockLostError().message).toBe(
      'That took too long and your change was not saved. Please try again.',
    );
    expect(new SessionQueueFullError().message).toMatch(
      /^Too many requests are waiting on your session\. Please try again/,
    );
  });
});
