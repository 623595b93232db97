// The session lock across processes: SET NX with a lease in Redis. Waiters of one
// process queue locally first (FIFO), so only the head of each queue asks Redis.
// The lease is renewed while its holder runs, so only a crashed holder loses it;
// every Redis call is bounded, so a hung Redis answers 503 instead of hanging.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BoundedMap } from '../../bounded-map.js';
import type { Redis } from '../../redis.js';
import { REPLICA_WINDOW, WRITE_WINDOW, writeThenWait } from '../../redis.js';
import { callDependency, UnavailableError } from '../../unavailable.js';
import { LocalSessionLock, type LockHandle, type SessionLock } from './lock.js';
import { RELEASE, RENEW, TAKE_AND_READ, UNDO_FENCED, WRITE_FENCED } from './redis-lock-scripts.js';

export type RedisLockOptions = {
  /** Lease of a held lock; renewed every third of it while the holder runs. */
  leaseMs: number;
  /** Bound on each Redis call. */
  callTimeoutMs: number;
  /** Requests of this process that may wait on one session (SESSION_MAX_WAITING). */
  maxWaiting?: number;
  /** A holder is renewed for at most this long; past it the lock lapses (a stuck handler). */
  renewForAtMostMs?: number;
  prefix?: string;
  /**
   * Where the session of a locked ID is kept (`shop:sess:` + ID): read in the same round
   * trip as the lock is taken, and given to the store (valueOf).
   */
  dataKeyOf?: (key: string) => string;
  /**
   * REDIS_WAIT_REPLICAS: a fenced write counts as written only once this many replicas
   * have it (WAIT); otherwise it is undone and refused. 0 or unset: the primary's word.
   */
  waitReplicas?: number;
  /** Where the writes that WAIT, and their WAITs, go (redis.ts, openWaitingConnection); unset, `redis`. */
  waiting?: Redis;
};

type Held = {
  lockKey: string;
  token: string;
  since: number;
  lost: boolean;
  handOffs: number;
  /**
   * What Redis holds at `key` (null: nothing) while this lock is held: read when the lock
   * was taken, or last written under it (writeFenced), and passed on with it. While the
   * lock goes from holder to holder in this process, nobody else can write that key.
   */
  known?: { key: string; value: string | null };
};

/**
 * A lock handed on within this process this many times in a row is then released in
 * Redis if a waiter in another process wants it, so that waiter gets its turn too.
 */
const MAX_HAND_OFFS = 8;
/** A waiter in another process says so under this key's `:wanted`, for this long per try. */
const WANTED_MS = 200;
/**
 * After giving way, this process's next waiter lets this long pass before its first
 * try: longer than another process's longest pause between tries (see takeInRedis).
 */
const GIVE_WAY_MS = 100;
/**
 * Keys whose failures are remembered. A key forgotten only loses its waiters' fast
 * failure: they then make their own bounded call, as if nothing had failed before them.
 */
const FAILURES_KEPT = 10_000;

export class RedisSessionLock implements SessionLock {
  private readonly local: LocalSessionLock;
  private readonly held = new Set<Held>();
  /** Redis locks passed to the next local waiter of their key, waiting to be picked up. */
  private readonly handedOff = new Map<string, Held>();
  /** Locks this process released to let another process in: until when its own waiters hold back. */
  private readonly givingWay = new Map<string, number>();
  /** Tells this process's `:wanted` marks from other processes'. */
  private readonly id = randomUUID();
  private renewer: NodeJS.Timeout | undefined;
  /** How many Redis calls have failed or timed out so far, by lock key (see acquire). */
  private readonly failures = new BoundedMap<string, number>(FAILURES_KEPT);
  private readonly prefix: string;
  private readonly renewForAtMostMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLockOptions,
  ) {
    this.local = new LocalSessionLock(options.maxWaiting);
    this.prefix = options.prefix ?? 'shop:lock:';
    this.renewForAtMostMs = options.renewForAtMostMs ?? 4 * options.leaseMs;
  }

  async acquire(key: string, waitMs: number): Promise<LockHandle | undefined> {
    const lockKey = this.prefix + key;
    const failuresBefore = this.failuresOf(lockKey);
    const deadline = Date.now() + waitMs;
    const inProcess = await this.local.acquire(key, waitMs);
    if (inProcess === undefined) return undefined;
    try {
      // The holder before us, in this process, passed its Redis lock on: no round trip.
      const passed = this.handedOff.get(lockKey);
      if (passed !== undefined) {
        this.handedOff.delete(lockKey);
        return this.handle(passed, inProcess);
      }
      // Redis failed the request ahead of us in this key's queue: it would only fail us too,
      // one timeout later. Answer now, so no request waits more than one STORE_TIMEOUT_MS.
      // Only this key's: a failure on another session says little about this one's turn.
      if (this.failuresOf(lockKey) > failuresBefore) throw new UnavailableError('sessions');
      const held = await this.takeInRedis(key, lockKey, deadline);
      if (held === undefined) {
        await inProcess.release();
        return undefined;
      }
      return this.handle(held, inProcess);
    } catch (err) {
      await inProcess.release();
      throw err;
    }
  }

  async releaseAll(): Promise<void> {
    const all = [...this.held, ...this.handedOff.values()];
    this.held.clear();
    this.handedOff.clear();
    this.stopRenewing();
    await Promise.allSettled(
      all.map((h) => this.call(h.lockKey, this.redis.eval(RELEASE, { keys: [h.lockKey], arguments: [h.token] }))),
    );
    await this.local.releaseAll();
  }

  private async takeInRedis(key: string, lockKey: string, deadline: number): Promise<Held | undefined> {
    const token = randomUUID();
    const holdBackUntil = this.givingWay.get(lockKey);
    if (holdBackUntil !== undefined) {
      this.givingWay.delete(lockKey);
      if (holdBackUntil > Date.now()) await sleep(holdBackUntil - Date.now());
    }
    for (let attempt = 0; ; attempt++) {
      let taken: { known?: Held['known'] } | undefined;
      try {
        taken = await this.call(lockKey, this.take(key, lockKey, token));
      } catch (err) {
        // The SET may still land after we gave up on it: take it back, or the
        // session would stay locked by nobody until the lease ran out.
        this.redis.eval(RELEASE, { keys: [lockKey], arguments: [token] }).catch(() => {});
        throw err;
      }
      if (taken) return { lockKey, token, since: Date.now(), lost: false, handOffs: 0, known: taken.known };
      if (Date.now() >= deadline) return undefined;
      // Another process holds it: say that we want it (see release), then wait a little.
      // Jitter keeps processes from retrying in lock-step.
      const wanted = { expiration: { type: 'PX', value: WANTED_MS } } as const;
      this.call(lockKey, this.redis.set(`${lockKey}:wanted`, this.id, wanted)).catch(() => {});
      const backoff = Math.min(5 * 2 ** Math.min(attempt, 4), 50);
      await sleep(backoff / 2 + Math.random() * backoff);
    }
  }

  /** One SET NX, and the session read with it when its key is known: undefined when someone else holds the lock. */
  private async take(key: string, lockKey: string, token: string): Promise<{ known?: Held['known'] } | undefined> {
    const lease = this.options.leaseMs;
    const dataKey = this.options.dataKeyOf?.(key);
    if (dataKey === undefined) {
      const set = await this.redis.set(lockKey, token, { condition: 'NX', expiration: { type: 'PX', value: lease } });
      return set === 'OK' ? {} : undefined;
    }
    const reply = await this.redis.eval(TAKE_AND_READ, { keys: [lockKey], arguments: [token, String(lease), dataKey] });
    if (!Array.isArray(reply) || reply[0] !== 1) return undefined;
    const value: unknown = reply[1];
    return { known: { key: dataKey, value: typeof value === 'string' ? value : null } };
  }

  private handle(held: Held, inProcess: LockHandle): LockHandle {
    this.held.add(held);
    this.startRenewing();
    let released = false;
    let writing: Promise<unknown> = Promise.resolve();
    const release = async () => {
      if (released) return;
      released = true;
      // A write whose caller gave up on it (the store's bound ran out) keeps the lock until
      // it is done or undone: an undo needs the lock still ours, and the next holder must
      // read what it leaves.
      await writing;
      // Someone in this process waits for the same session: hand the Redis lock over with
      // the local one (saves a release and a SET NX), MAX_HAND_OFFS times in a row, and
      // on past that only while no other process wants the lock.
      const waiting = () => !held.lost && this.local.hasWaiters(inProcessKey(held, this.prefix));
      if (waiting()) {
        const handOffs = held.handOffs < MAX_HAND_OFFS ? held.handOffs + 1 : 0;
        const handOn = handOffs > 0 || !(await this.wantedElsewhere(held.lockKey));
        // Asking took a round trip, and the waiter may have given up meanwhile: a lock parked
        // for nobody would lapse unrenewed, and be reused after another process took the key.
        if (handOn && waiting()) {
          this.handedOff.set(held.lockKey, { ...held, handOffs, since: Date.now() });
          this.held.delete(held);
          await inProcess.release();
          return;
        }
        if (!handOn) this.givingWay.set(held.lockKey, Date.now() + GIVE_WAY_MS);
      }
      this.held.delete(held);
      if (this.held.size === 0) this.stopRenewing();
      try {
        if (!held.lost) {
          await this.call(held.lockKey, this.redis.eval(RELEASE, { keys: [held.lockKey], arguments: [held.token] }));
        }
      } finally {
        await inProcess.release();
      }
    };
    return {
      confirm: async () => !held.lost && (await this.renew(held)),
      writeFenced: (key, value, ttlSeconds) => {
        const write = this.writeUnder(held, key, value, ttlSeconds);
        writing = write.catch(() => {});
        return write;
      },
      release,
      abandon: () => {
        held.lost = true;
        void release();
      },
    };
  }

  /** writeFenced of `held`: the write, checked against the lock in the same step (WRITE_FENCED). */
  private async writeUnder(held: Held, key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (held.lost) return false;
    const startedAt = Date.now();
    const replicas = this.options.waitReplicas ?? 0;
    const lease = String(this.options.leaseMs);
    const deadline = String(startedAt + this.options.callTimeoutMs * WRITE_WINDOW);
    const keys = [held.lockKey, key];
    const args = [held.token, lease, value, String(ttlSeconds), deadline];
    // Until this write is known to have landed or not, what the key holds is not known.
    held.known = undefined;
    if (replicas === 0) {
      const reply = await this.call(held.lockKey, this.redis.eval(WRITE_FENCED, { keys, arguments: [...args, '0'] }));
      if (!this.written(held, reply)) return false;
    } else {
      const decideBy = startedAt + this.options.callTimeoutMs * REPLICA_WINDOW;
      const write = ['EVAL', WRITE_FENCED, String(keys.length), ...keys, ...args, '1'];
      const waiting = this.options.waiting ?? this.redis;
      const { reply, confirmed } = await this.call(
        held.lockKey,
        writeThenWait(waiting, write, replicas, decideBy, (reply) => Array.isArray(reply) && reply[0] === 1),
      );
      if (!this.written(held, reply)) return false;
      if (!confirmed) await this.undo(held, key, value, reply as unknown[]);
    }
    held.known = { key, value };
    return true;
  }

  /**
   * What WRITE_FENCED answered: 1 (or { 1, … }) written. 0, the lock is lost; -1, too late:
   * nothing written, but the lock is still ours, and release() must free it.
   */
  private written(held: Held, reply: unknown): boolean {
    const outcome = Array.isArray(reply) ? reply[0] : reply;
    if (outcome === 0) held.lost = true;
    return outcome === 1;
  }

  /**
   * REDIS_WAIT_REPLICAS: the write just made at `key` was not confirmed by enough replicas
   * in time. It is put back as it was (`before`, from WRITE_FENCED) and refused: an answer
   * of "saved" must survive the primary's death. Should the undo itself fail, the primary
   * keeps the change, unconfirmed, and the answer is 503 all the same.
   */
  private async undo(held: Held, key: string, written: string, before: unknown[]): Promise<never> {
    const [, value, pttl] = before;
    const undo = {
      keys: [held.lockKey, key],
      arguments: [
        held.token,
        typeof value === 'string' ? value : '',
        String(typeof pttl === 'number' ? pttl : -1),
        written,
      ],
    };
    const undone = await this.call(held.lockKey, this.redis.eval(UNDO_FENCED, undo));
    if (undone === 0) held.lost = true;
    throw new UnavailableError('sessions', 'unreplicated');
  }

  /**
   * What Redis holds at `dataKey` (null: nothing) under the lock on `key` that this process
   * holds: read as the lock was taken, or last written under it by this holder or one that
   * handed the lock to it. The lock has not left this process since, so nobody else can
   * have written there, and reading it again would only cost a round trip. Given to each
   * holder in turn, until a change other than a fenced write (forget); undefined when not known.
   */
  valueOf(key: string, dataKey: string): string | null | undefined {
    const lockKey = this.prefix + key;
    for (const held of this.held) {
      if (held.lockKey !== lockKey || held.known?.key !== dataKey) continue;
      // A lock lost, or no longer renewed (renewAll), may be someone else's by now.
      const renewed = !held.lost && Date.now() - held.since <= this.renewForAtMostMs;
      return renewed ? held.known.value : undefined;
    }
    return undefined;
  }

  /** `dataKey` is about to change other than by a fenced write (a destroy, a touch): what was known of it is no longer sure. */
  forget(dataKey: string): void {
    for (const held of [...this.held, ...this.handedOff.values()]) {
      if (held.known?.key === dataKey) held.known = undefined;
    }
  }

  /** A waiter in another process has asked for this lock within WANTED_MS. */
  private async wantedElsewhere(lockKey: string): Promise<boolean> {
    const wanter = await this.call(lockKey, this.redis.get(`${lockKey}:wanted`)).catch(() => null);
    return wanter !== null && wanter !== this.id;
  }

  /** Extends one lease; marks the lock lost when the key no longer holds our token. */
  private async renew(held: Held): Promise<boolean> {
    const result = await this.call(
      held.lockKey,
      this.redis.eval(RENEW, { keys: [held.lockKey], arguments: [held.token, String(this.options.leaseMs)] }),
    );
    if (result !== 1) held.lost = true;
    return !held.lost;
  }

  // One timer for all the locks this process holds, not one per request.
  private startRenewing(): void {
    if (this.renewer !== undefined) return;
    this.renewer = setInterval(() => this.renewAll(), Math.max(10, Math.floor(this.options.leaseMs / 3)));
    this.renewer.unref();
  }

  private stopRenewing(): void {
    clearInterval(this.renewer);
    this.renewer = undefined;
  }

  private renewAll(): void {
    const now = Date.now();
    for (const held of this.held) {
      if (held.lost) continue;
      // A handler stuck this long is not coming back: let its lease lapse.
      if (now - held.since > this.renewForAtMostMs) continue;
      // A failed renewal (Redis slow or down) is retried on the next tick; if the lease
      // runs out meanwhile, confirm() finds the key gone and the save is refused.
      this.renew(held).catch(() => {});
    }
  }

  /** A bounded Redis call made for `lockKey`'s lock; a failure counts against that key. */
  private call<T>(lockKey: string, work: Promise<T>): Promise<T> {
    return callDependency('sessions', work, this.options.callTimeoutMs).catch((err: unknown) => {
      this.failures.set(lockKey, this.failuresOf(lockKey) + 1);
      throw err;
    });
  }

  private failuresOf(lockKey: string): number {
    return this.failures.get(lockKey) ?? 0;
  }
}

/** The local queue's key of a Redis lock key. */
const inProcessKey = (held: Held, prefix: string) => held.lockKey.slice(prefix.length);
