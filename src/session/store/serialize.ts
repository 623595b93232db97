// Mounts the session lock (session/store/lock.ts) in front of express-session, so a
// session is loaded only once the lock is held and is never stale, and given back
// only once express-session has finished writing it — whatever the client does.
import type { NextFunction, Request, Response } from 'express';
import { type LockHandle, SessionBusyError, type SessionLock, SessionQueueFullError } from './lock.js';
import { requestSessionId } from './session-id.js';

export type SerializeOptions = {
  cookieName: string;
  /** The same secrets express-session verifies with: the lock is keyed by the unsigned ID. */
  secrets: string[];
  waitMs: number;
  /**
   * A request whose client has gone and whose handler has still not answered after
   * this long is presumed stuck: its lock is abandoned (so its late save is refused).
   */
  abandonAfterMs: number;
  /** Told how long each request waited for the lock: 0 when nobody held it (metrics.ts). */
  waited?: (seconds: number) => void;
};

export function serializeBySession(lock: SessionLock, options: SerializeOptions) {
  return function serialize(req: Request, res: Response, next: NextFunction): void | Promise<void> {
    // No valid signed ID: express-session makes a brand-new session nobody else can be using.
    const id = requestSessionId(req, options.cookieName, options.secrets);
    if (id === undefined) return next();
    const started = performance.now();
    const proceed = (handle: LockHandle | undefined) => {
      options.waited?.((performance.now() - started) / 1000);
      if (handle === undefined) throw new SessionBusyError();
      // The client hung up (while waiting, or while its body was read): do no work for
      // nobody. (Not req.destroyed: that is true of every request whose body has been read.)
      if (res.closed || req.socket.destroyed) return handle.release();
      req.sessionLock = handle;
      releaseAfterLastWrite(req, res, handle, options.abandonAfterMs);
      next();
    };
    // Nobody else on this session (the usual case): on at once, with no promise in between.
    const free = lock.tryAcquire?.(id);
    if (free !== undefined) return void proceed(free);
    return lock.acquire(id, options.waitMs).then(proceed, (err: unknown) => {
      if (err instanceof SessionQueueFullError) req.log?.warn('too many requests waiting on one session: refused');
      throw err;
    });
  };
}

/**
 * express-session wraps res.end to write the session (save, touch or destroy) and
 * calls the res.end it found — this one — only when that write has finished. So
 * releasing here, and not on 'finish' or 'close', means the next request on this
 * session always loads what this one wrote, even if the client hung up meanwhile.
 */
function releaseAfterLastWrite(req: Request, res: Response, handle: LockHandle, abandonAfterMs: number) {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let stuck: NodeJS.Timeout | undefined;
  const release = () => {
    clearTimeout(stuck);
    handle.release().catch((err: unknown) => req.log?.warn({ err }, 'session lock release failed'));
  };
  res.end = ((...args: unknown[]) => {
    const result = end(...args);
    release();
    return result;
  }) as Response['end'];
  res.once('close', () => {
    if (res.writableEnded) return;
    stuck = setTimeout(() => {
      req.log?.warn('a request outlived its client by LOCK_LEASE_MS: its session lock is abandoned');
      handle.abandon();
    }, abandonAfterMs);
    stuck.unref();
  });
}

declare global {
  namespace Express {
    interface Request {
      /** The session lock this request holds, if it carried a session cookie. */
      sessionLock?: LockHandle;
    }
  }
}
