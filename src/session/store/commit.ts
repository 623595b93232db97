// Answers only after the session is saved, and an error answer changes nothing.
// express-session writes a changed session inside res.end() and sends the answer even
// when that write fails, so a shopper could be told "added" about a change that was
// never stored. Here res.end() first writes the session (if this request changed it),
// with the lock confirmed still ours; only then is the answer sent. A refused write
// becomes a 503 instead, and then, as for any answer of 500 or more, the session stays
// as it was loaded and the request's database writes are undone (session/take-back.ts).
import type { NextFunction, Request, Response } from 'express';
import {
  arrivedWithoutSession,
  destroySessionById,
  dropNewSession,
  replacedSessionId,
  saveSession,
} from '../lifecycle.js';
import { hasUndos, takeBack } from '../take-back.js';
import { fenceWith } from './fenced-store.js';
import { markCommitted, noteStoredExpiry } from './guarded-store.js';
import { SessionLockLostError } from './lock.js';
import type { SessionCookieKeys } from './session-id.js';

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

/** The session as the request found it: what a refusal puts back, its lifetime included. */
type Loaded = { id: string; session: Request['session']; data: string; lifetime: number | null | undefined };

/**
 * Mounted right after express-session. `refuse` answers when the write failed
 * (the app's error handler); the response it sends is not saved again.
 */
/** `cookie`: a refusal must know whether the request brought its session or express-session made it. */
export function saveBeforeAnswering(
  refuse: (err: unknown, req: Request, res: Response) => void,
  cookie: SessionCookieKeys,
) {
  return function commitOnEnd(req: Request, res: Response, next: NextFunction) {
    const loaded: Loaded = {
      id: req.sessionID,
      session: req.session,
      data: fingerprint(req.session),
      lifetime: req.session.cookie.originalMaxAge,
    };
    noteStoredExpiry(req.session); // before express-session renews the cookie (guarded-store.ts)
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let committed = false;
    res.end = ((...args: unknown[]) => {
      const session = req.session as typeof req.session | undefined;
      if (committed || session === undefined) return end(...args);
      committed = true;
      const unchanged = req.sessionID === loaded.id && fingerprint(session) === loaded.data;
      if (res.statusCode >= 500) {
        // A failed request stores nothing: not its session, not its database writes.
        if (unchanged && !hasUndos(req)) {
          storeNothing(req, cookie);
          return end(...args);
        }
        answerFrom(
          req,
          res,
          putBack(req, loaded, cookie).then(() => void end(...args)),
        );
        return res;
      }
      if (unchanged) return end(...args);
      answerFrom(req, res, commitThenAnswer());
      return res;

      async function commitThenAnswer() {
        try {
          await commit(req);
        } catch (err) {
          clearAnswer(res);
          // The refusal's page shows the session as it is stored, not the change just refused.
          await putBack(req, loaded, cookie);
          refuse(err, req, res);
          return;
        }
        end(...args);
      }
    }) as Response['end'];
    next();
  };
}

/**
 * The answer goes out from a promise: a failure there (the error page itself failing)
 * would otherwise be an unhandled rejection. It is logged and the connection is cut, as
 * Node does with a response that cannot be completed.
 */
function answerFrom(req: Request, res: Response, answering: Promise<void>): void {
  answering.catch((err: unknown) => {
    req.log?.error({ err }, 'the answer could not be sent after the session write');
    res.destroy();
  });
}

async function commit(req: Request): Promise<void> {
  const lock = req.sessionLock;
  try {
    // Fencing: never write a session whose lock another request may hold by now. In
    // Redis the write itself checks the lock (session/store/fenced-store.ts); elsewhere, ask first.
    if (lock !== undefined && !fenceWith(req.session, lock) && !(await lock.confirm())) {
      throw new SessionLockLostError();
    }
    await saveSession(req);
    await destroyReplaced(req);
  } finally {
    markCommitted(req.session);
  }
}

/**
 * A regenerated session (a login, an expired login) replaces the old one only now that
 * it is stored. If the old one cannot be destroyed, the request is refused: a guest
 * session left behind would let a second login merge the same cart again. The new
 * session is then dropped too: its ID never reaches the browser.
 */
async function destroyReplaced(req: Request): Promise<void> {
  const old = replacedSessionId(req);
  if (old === undefined) return;
  // Stryker disable next-line ConditionalExpression: regenerateSession always draws a new ID, so this guard against destroying the session just stored never fires
  if (old === req.sessionID) return;
  try {
    await destroySessionById(req, old);
  } catch (err) {
    await destroySessionById(req, req.sessionID).catch(() => {});
    throw err;
  }
}

/**
 * Makes the request's session the one it loaded, as it loaded it (a regenerated one is
 * set aside, so its cookie is never sent), stores nothing more for it, and undoes the
 * request's database writes.
 */
async function putBack(req: Request, loaded: Loaded, cookie: SessionCookieKeys): Promise<void> {
  req.session = loaded.session;
  req.sessionID = loaded.id;
  restore(req.session, loaded.data);
  // The lifetime too: a change that emptied the cart shortened the cookie, and `rolling` sends it.
  // Stryker disable next-line ConditionalExpression: a cookie with no lifetime has maxAge null already, and setting it to null again changes nothing
  if (typeof loaded.lifetime === 'number') req.session.cookie.maxAge = loaded.lifetime;
  storeNothing(req, cookie);
  await takeBack(req);
}

/**
 * Nothing more is stored for this request: express-session's own save or touch is
 * skipped, and a session made for this very request is dropped, so no cookie names a
 * session that was never stored.
 */
function storeNothing(req: Request, cookie: SessionCookieKeys): void {
  if (arrivedWithoutSession(req, cookie.cookieName, cookie.secrets)) dropNewSession(req);
  else markCommitted(req.session);
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
