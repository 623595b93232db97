// No lost updates. express-session loads a copy of the session when a request
// arrives and writes the whole object back when it ends, so two overlapping
// requests from one shopper (two tabs, a double click, parallel fetches) would
// each save their own copy and the last one would win. Requests on the same
// session therefore take turns: lock → load → change → save → unlock.
// This file holds the lock itself; session/store/serialize.ts mounts it.

/** A held lock. */
export interface LockHandle {
  /**
   * Asked right before the session is written: true while the lock is still ours
   * (in Redis this also extends the lease, so the write that follows cannot outlive it).
   */
  confirm(): Promise<boolean>;
  /**
   * Writes `value` at `key` (expiring in `ttlSeconds`) only while the lock is still
   * ours, extending the lease, all in one step: what confirm() and then a write do in
   * two round trips, without the gap between them. Only where the lock and the data
   * live in the same server (Redis); true when written, false when the lock was lost.
   */
  writeFenced?(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Gives the lock to the next waiter. Safe to call more than once. */
  release(): Promise<void>;
  /** Marks the lock as lost (its holder ran too long), so confirm() refuses, and frees it. */
  abandon(): void;
}

export interface SessionLock {
  /** Resolves once the caller holds the lock for `key`; undefined when it waited `waitMs` in vain. */
  acquire(key: string, waitMs: number): Promise<LockHandle | undefined>;
  /**
   * The lock for `key` at once, when that needs no waiting and no I/O (nobody holds it,
   * in this process's memory); otherwise undefined, and the caller uses acquire().
   */
  tryAcquire?(key: string): LockHandle | undefined;
  /** Shutdown: gives back every lock this process holds and turns its waiters away. */
  releaseAll(): Promise<void>;
}

/** A request waited its whole `LOCK_WAIT_MS` behind others on the same session. */
export class SessionBusyError extends Error {
  constructor() {
    super('Your session is busy with another request. Please try again.');
  }
}

/** The lock was lost before the session could be written: the change was not kept. */
export class SessionLockLostError extends Error {
  constructor() {
    super('That took too long and your change was not saved. Please try again.');
  }
}

/**
 * SESSION_MAX_WAITING requests wait on this session already: one more would only queue
 * for the same turn (a script gone wild, a flood on one cookie), so it is turned away.
 */
export class SessionQueueFullError extends Error {
  constructor() {
    super('Too many requests are waiting on your session. Please try again in a moment.');
  }
}

type Waiter = { grant: (handle: LockHandle | undefined) => void; timer: NodeJS.Timeout };

/**
 * One process: a FIFO queue of waiters per key. The uncontended path (nobody
 * holds the key) is a map lookup and an insert: no promise chain, no timer.
 */
export class LocalSessionLock implements SessionLock {
  /** A key is present while someone holds it; its array holds the waiters in arrival order. */
  private readonly queues = new Map<string, Waiter[]>();

  /** `maxWaiting`: waiters one key may have; the next acquire() rejects with SessionQueueFullError. */
  constructor(private readonly maxWaiting = Number.POSITIVE_INFINITY) {}

  tryAcquire(key: string): LockHandle | undefined {
    if (this.queues.has(key)) return undefined;
    this.queues.set(key, []);
    return this.handle(key);
  }

  acquire(key: string, waitMs: number): Promise<LockHandle | undefined> {
    const free = this.tryAcquire(key);
    if (free !== undefined) return Promise.resolve(free);
    // Stryker disable next-line ArrayDeclaration: the fallback is never used, tryAcquire() has just found the key held
    const queue = this.queues.get(key) ?? [];
    if (queue.length >= this.maxWaiting) return Promise.reject(new SessionQueueFullError());
    return new Promise((grant) => {
      const waiter: Waiter = {
        grant,
        timer: setTimeout(() => {
          queue.splice(queue.indexOf(waiter), 1);
          grant(undefined);
        }, waitMs),
      };
      queue.push(waiter);
    });
  }

  async releaseAll(): Promise<void> {
    for (const queue of this.queues.values()) {
      for (const waiter of queue) {
        clearTimeout(waiter.timer);
        waiter.grant(undefined);
      }
    }
    this.queues.clear();
  }

  /** True when someone is queued for `key` (the Redis lock hands over to them). */
  hasWaiters(key: string): boolean {
    return (this.queues.get(key)?.length ?? 0) > 0;
  }

  /** Number of keys held; for tests and the inspector. */
  get size(): number {
    return this.queues.size;
  }

  private handle(key: string): LockHandle {
    let held = true;
    const release = async () => {
      if (!held) return;
      held = false;
      this.handOver(key);
    };
    return {
      confirm: async () => held,
      release,
      abandon: () => void release(),
    };
  }

  private handOver(key: string): void {
    const queue = this.queues.get(key);
    const next = queue?.shift();
    if (next === undefined) {
      this.queues.delete(key);
      return;
    }
    clearTimeout(next.timer);
    next.grant(this.handle(key));
  }
}
