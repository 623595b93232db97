// What each request changed in the session, as the inspector's timeline keeps it: a
// short before/after list of keys (cart lines, preference fields, the user). Only
// computed while the timeline is kept (SESSION_INSPECTOR), so production pays nothing.
import type { Cart } from '../cart/cart.js';
import type { Change, Prefs, TimelineEvent } from './data.js';

/** The cart lines whose quantity differs: `cart.p-001` 0 → 2 for an add, 2 → 0 for a removal. */
export function cartChanges(before: Cart | undefined, after: Cart | undefined): Change[] {
  const was = new Map((before?.lines ?? []).map((l) => [l.productId, l.quantity]));
  const now = new Map((after?.lines ?? []).map((l) => [l.productId, l.quantity]));
  const ids = new Set([...was.keys(), ...now.keys()]);
  const changes: Change[] = [];
  for (const id of ids) {
    const from = was.get(id) ?? 0;
    const to = now.get(id) ?? 0;
    if (from !== to) changes.push({ key: `cart.${id}`, from, to });
  }
  return changes;
}

/**
 * A login merge, line by line: what this browser's (guest) cart held, what the account's
 * saved cart held, and what the merged cart holds. Every line of either cart is listed.
 */
export function mergeChanges(guest: Cart, saved: Cart, after: Cart): Change[] {
  const quantities = (cart: Cart) => new Map(cart.lines.map((l) => [l.productId, l.quantity]));
  const [was, kept, now] = [quantities(guest), quantities(saved), quantities(after)];
  const ids = new Set([...was.keys(), ...kept.keys(), ...now.keys()]);
  return [...ids].map((id) => ({
    key: `cart.${id}`,
    from: was.get(id) ?? 0,
    to: now.get(id) ?? 0,
    saved: kept.get(id) ?? 0,
  }));
}

/** Only the preference fields whose value moved. */
export function prefChanges(before: Prefs, changes: Partial<Prefs>): Change[] {
  return Object.entries(changes)
    .filter(([key, value]) => value !== undefined && before[key as keyof Prefs] !== value)
    .map(([key, value]) => ({ key: `prefs.${key}`, from: before[key as keyof Prefs], to: value ?? null }));
}

/** Who the session belongs to, before and after (a username, or null for a guest). */
export function userChange(before: string | undefined, after: string | undefined): Change[] {
  return before === after ? [] : [{ key: 'user', from: before ?? null, to: after ?? null }];
}

/** Appends an event, keeping the newest `max`. */
export function appended(timeline: TimelineEvent[], entry: TimelineEvent, max: number): TimelineEvent[] {
  return [...timeline, entry].slice(-max);
}

/** "cart.p-001: 0 → 2", "user: none → ravi", and for a merge "cart.p-001: guest 3, saved 2 → 5". */
export function describeChange(change: Change): string {
  const show = (v: Change['from']) => (v === null ? 'none' : String(v));
  const from = change.saved === undefined ? show(change.from) : `guest ${show(change.from)}, saved ${change.saved}`;
  return `${change.key}: ${from} → ${show(change.to)}`;
}
