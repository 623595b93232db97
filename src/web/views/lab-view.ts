// What the lab page shows: each lab's result in words, and the learner's own session
// IDs as their timeline recorded them at login and logout.
import type { FixationResult, SandboxView } from '../../lab/fixation.js';
import type { LabSide, LostUpdateResult } from '../../lab/lost-update.js';
import type { TimelineEvent } from '../../session/data.js';
import { type TimeView, timeView } from './time-view.js';

export function lostUpdateView(result: LostUpdateResult) {
  const side = (title: string, s: LabSide) => ({
    title,
    ...s,
    lost: s.sent - s.kept,
    summary: `sent ${s.sent}, kept ${s.kept}`,
  });
  return [side('With the session lock', result.withLock), side('Without a lock', result.withoutLock)];
}

export function fixationView(result: FixationResult) {
  const who = (v: SandboxView) => (v.user ? `logged in as ${v.user}` : 'a guest');
  const step = (label: string, v: SandboxView) => ({ label, ...v, who: who(v) });
  const { replayOld } = result;
  return {
    steps: [
      step('A guest adds to the cart', result.beforeLogin),
      step('The guest logs in: regenerate gives a new ID', result.afterLogin),
      // The ID the replay carried, not the throwaway one the server answered it with.
      {
        ...step('A request replays the ID from before the login', replayOld),
        sessionId: replayOld.sentSessionId ?? replayOld.sessionId,
        who: `${who(replayOld)}: that ID found nothing`,
      },
      step('The ID from after the login', result.replayNew),
    ],
    oldIdStillValid: result.oldIdStillValid,
  };
}

export type IdChange = { event: string; at: TimeView; from: string; to: string };

/** The learner's own ID changes: `login` records both IDs, `logout` the old one. */
export function ownIdChanges(timeline: TimelineEvent[]): IdChange[] {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return timeline
    .filter((e) => e.event === 'login' || e.event === 'logout')
    .map((e) => ({
      event: e.event,
      at: timeView(e.at),
      from: text(e.detail?.previousSession),
      to: text(e.detail?.newSession) || 'this session',
    }))
    .reverse();
}
