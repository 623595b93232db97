// The session inspector's view model: the session with its secrets redacted, the
// true size and lifetime of its store entry, and what recent requests did to the
// store and why. Display only: session/state.ts owns the keys.
import type { SessionData } from 'express-session';
import type { TimelineEvent } from '../../session/data.js';
import { TOUCH_AFTER_MS } from '../../session/store/guarded-store.js';
import type { RequestTrace } from '../../session/store/store-log.js';
import { describeChange } from '../../session/timeline.js';
import { type TimeView, timeView } from './time-view.js';

/**
 * Everything stored but the cookie and the timeline (shown apart), with the secrets
 * redacted. The cart owner's tag too: opaque as it is, it would let the next person at
 * this browser tell whether two kept carts belonged to the same member.
 */
export function redacted(raw: Readonly<Partial<SessionData>>): Record<string, unknown> {
  const { cookie: _cookie, timeline: _timeline, ...data } = raw;
  const shown: Record<string, unknown> = { ...data };
  for (const secret of ['csrfToken', 'checkoutToken', 'cartOwner']) {
    if (secret in shown) shown[secret] = '[redacted]';
  }
  return shown;
}

export type StoredEntry = { bytes: number; minutesLeft: number | null; expires: TimeView | null };

/** The entry exactly as the store serialises it (JSON), cookie and timeline included. */
export function storedEntryView(entry: object | null | undefined, now = Date.now()): StoredEntry | null {
  if (entry === null || entry === undefined) return null;
  const cookie = 'cookie' in entry ? (entry.cookie as { expires?: unknown }) : undefined;
  const expires = typeof cookie?.expires === 'string' ? new Date(cookie.expires) : undefined;
  return {
    bytes: Buffer.byteLength(JSON.stringify(entry)),
    minutesLeft: expires ? Math.max(0, Math.round((expires.getTime() - now) / 60_000)) : null,
    expires: expires ? timeView(expires) : null,
  };
}

export type RequestView = Omit<RequestTrace, 'at'> & { at: TimeView; write: 'set' | 'touch' | 'none'; why: string };

/** Newest first, each with the option that decided what the store saw. */
export function requestViews(traces: RequestTrace[], saveUninitialized: boolean): RequestView[] {
  return [...traces]
    .reverse()
    .map((trace) => ({ ...trace, at: timeView(trace.at), ...explain(trace, saveUninitialized) }));
}

function explain(trace: RequestTrace, saveUninitialized: boolean): { write: RequestView['write']; why: string } {
  const { ops, arrivedNew, regenerated } = trace;
  if (ops.includes('set')) {
    if (regenerated)
      return { write: 'set', why: 'New session ID (regenerate): the old entry destroyed, the new one written.' };
    if (arrivedNew && saveUninitialized) {
      return { write: 'set', why: 'A new session: saveUninitialized: true stores it even with nothing in it.' };
    }
    if (arrivedNew) return { write: 'set', why: 'A new session with something in it: stored now, and its cookie set.' };
    return { write: 'set', why: 'The session changed: written in full (resave: false writes only changed sessions).' };
  }
  if (ops.includes('touch')) {
    return { write: 'touch', why: 'Unchanged: resave: false skips the write; rolling: true only renews its expiry.' };
  }
  if (ops.includes('destroy')) return { write: 'none', why: 'Destroyed (logout): nothing left to write.' };
  if (arrivedNew) {
    return {
      write: 'none',
      why: 'A new session with nothing in it: saveUninitialized: false stores nothing, sets no cookie.',
    };
  }
  // session/store/guarded-store.ts skips a touch that would move the stored expiry only a little.
  const seconds = TOUCH_AFTER_MS / 1000;
  return { write: 'none', why: `Unchanged, and renewed less than ${seconds} s ago: not worth a touch.` };
}

export type TimelineView = Omit<TimelineEvent, 'at'> & { at: TimeView; changes: string[]; detailJson: string };

/** Newest first, each change as "cart.p-001: 0 → 2". */
export function timelineViews(timeline: TimelineEvent[]): TimelineView[] {
  return [...timeline].reverse().map((event) => ({
    ...event,
    at: timeView(event.at),
    changes: (event.changed ?? []).map(describeChange),
    detailJson: event.detail ? JSON.stringify(event.detail) : '',
  }));
}
