// Answers only after the session is saved. express-session writes a changed session
// inside res.end() and sends the answer even when that write fails, so a shopper
// could be told "added" about a change that was never stored. Here res.end() first
// writes the session (if this request changed it), with the lock confirmed still
// ours; only then is the answer sent. A refused write becomes a 503 instead.
import type { NextFunction, Request, Response } from 'express';
import { fenceWith } from './fenced-store.js';
import { markCommitted, noteStoredExpiry } from './guarded-store.js';
import { saveSession } from './lifecycle.js';
import { SessionLockLostError } from './lock.js';

/**
 * Everything stored but the cookie, which express-session keeps up to date itself.
 * The cookie is set aside for the moment: JSON.stringify leaves out a key whose value
 * is undefined, and a replacer function would be called for every key in the session.
 */
function fingerprint(data: { cookie?: unknown }): string {
  const { cookie } = data;
  data.cookie = undefined;
  try {
    return JSON.stringify(data);
  } finally {
    data.cookie = cookie;
  }
}

/**
 * Mounted right after express-session. `refuse` answers when the write failed
 * (the app's error handler); the response it sends is not saved again.
 */
export function saveBeforeAnswering(refuse: (err: unknown, req: Request, res: Response) => void) {
  return function commitOnEnd(req: Request, res: Response, next: NextFunction) {
    const loadedId = req.sessionID;
    const loaded = fingerprint(req.session);
    noteStoredExpiry(req.session); // before express-session renews the cookie (guarded-store.ts)
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let committed = false;
    res.end = ((...args: unknown[]) => {
      const session = req.session as typeof req.session | undefined;
      if (committed || session === undefined) return end(...args);
      committed = true;
      if (req.sessionID === loadedId && fingerprint(session) === loaded) return end(...args);
      commit(req).then(
        () => end(...args),
        (err: unknown) => {
          clearAnswer(res);
          // The refusal's page shows the session as it is stored, not the change just refused.
          restore(req.session, loaded);
          refuse(err, req, res);
        },
      );
      return res;
    }) as Response['end'];
    next();
  };
}

async function commit(req: Request): Promise<void> {
  const lock = req.sessionLock;
  try {
    // Fencing: never write a session whose lock another request may hold by now. In
    // Redis the write itself checks the lock (session/fenced-store.ts); elsewhere, ask first.
    if (lock !== undefined && !fenceWith(req.session, lock) && !(await lock.confirm())) {
      throw new SessionLockLostError();
    }
    await saveSession(req);
  } finally {
    markCommitted(req.session);
  }
}

/** Puts back what the session held when it was loaded (its cookie aside). */
function restore(data: object, loaded: string): void {
  const target = data as Record<string, unknown>;
  for (const key of Object.keys(target)) if (key !== 'cookie') delete target[key];
  Object.assign(target, JSON.parse(loaded));
}

/** Forgets the answer that was about to go out, so the refusal can take its place. */
function clearAnswer(res: Response): void {
  for (const header of ['content-type', 'content-length', 'etag', 'location']) res.removeHeader(header);
}
