// The lost update, run where it harms no one: N parallel "add to cart" requests
// against two sandbox sessions in a sandbox store that, like a store across a network,
// answers a few milliseconds late. Each add reads the cart, adds its line and writes
// the cart back, as express-session does with a whole session. One sandbox takes the
// real session lock (session/store/lock.ts) around each add; the other does not, so adds
// that read before an earlier one wrote overwrite it. The learner's own session, the
// app's lock and the real store are never involved.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalSessionLock, SessionBusyError } from '../session/store/lock.js';

const STORE_DELAY_MS = 5; // per store call: a network round trip
const STAGGER_MS = 2; // add i starts 2i ms after the first: parallel, yet not all at once

/** What one add saw and did: its read, its write, the lines it overwrote unseen, whether its own line survived. */
export type LabEvent = {
  add: number;
  startedMs: number;
  read: number;
  wrote: number;
  overwrote: number;
  kept: boolean;
};
export type LabSide = { sent: number; kept: number; timeline: LabEvent[] };
export type LostUpdateResult = { withLock: LabSide; withoutLock: LabSide };

/** A store holding carts as lists of line names. A read answers with what it held when asked. */
class SlowStore {
  private readonly carts = new Map<string, string[]>();

  async get(id: string): Promise<string[]> {
    const held = [...(this.carts.get(id) ?? [])];
    await sleep(STORE_DELAY_MS);
    return held;
  }

  /** Writes the whole cart; answers with the lines it replaced. */
  async set(id: string, lines: string[]): Promise<string[]> {
    const replaced = this.carts.get(id) ?? [];
    this.carts.set(id, lines);
    await sleep(STORE_DELAY_MS);
    return replaced;
  }

  lines(id: string): string[] {
    return this.carts.get(id) ?? [];
  }
}

export async function runLostUpdate(n: number, lockWaitMs: number): Promise<LostUpdateResult> {
  const store = new SlowStore();
  const lock = new LocalSessionLock();
  const [withLock, withoutLock] = await Promise.all([
    side(n, store, async (add) => {
      const handle = await lock.acquire('sandbox-with-lock', lockWaitMs);
      if (handle === undefined) throw new SessionBusyError();
      try {
        return await add();
      } finally {
        await handle.release();
      }
    }),
    side(n, store, (add) => add()),
  ]);
  return { withLock, withoutLock };
}

type Step = Omit<LabEvent, 'kept'>;
type Guard = (add: () => Promise<Step>) => Promise<Step>;

/** Fires n adds at one sandbox session, each through `guard`, and counts what the store kept. */
async function side(n: number, store: SlowStore, guard: Guard): Promise<LabSide> {
  const id = randomUUID();
  const started = performance.now();
  const adds = Array.from({ length: n }, async (_, i) => {
    await sleep(i * STAGGER_MS);
    return guard(async () => {
      const startedMs = Math.round(performance.now() - started);
      const cart = await store.get(id);
      const replaced = await store.set(id, [...cart, `item-${i + 1}`]);
      const overwrote = replaced.filter((line) => !cart.includes(line)).length;
      return { add: i + 1, startedMs, read: cart.length, wrote: cart.length + 1, overwrote };
    });
  });
  const steps = await Promise.all(adds);
  const kept = store.lines(id);
  const timeline = steps
    .map((step) => ({ ...step, kept: kept.includes(`item-${step.add}`) }))
    .sort((a, b) => a.startedMs - b.startedMs || a.add - b.add);
  return { sent: n, kept: kept.length, timeline };
}
