// Graceful shutdown, the request side: which requests are still running, and how
// the app answers once the process is going away. server.ts decides when; this
// module knows what that means for each request.
import { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { RETRY_AFTER_SECONDS } from './http-error.js';
import { wantsJson } from './negotiate.js';

const GOING_AWAY = 'The shop is restarting. Please try again in a moment.';

export class Drain {
  private isDraining = false;
  private readonly running = new Set<Response>();
  private whenIdle: Array<() => void> = [];

  get draining(): boolean {
    return this.isDraining;
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Mounted first: counts each request from its headers until its response is done or abandoned. */
  readonly track = (_req: Request, res: Response, next: NextFunction) => {
    this.running.add(res);
    if (this.isDraining) closeAfter(res);
    res.once('close', () => {
      this.running.delete(res);
      if (this.running.size === 0) this.wake();
    });
    next();
  };

  /**
   * From now on /readyz fails and every response asks its client to close the
   * connection: each keep-alive connection closes after its next answer, never
   * under a request, and none outlives the process mid-request.
   */
  begin(): void {
    this.isDraining = true;
    for (const res of this.running) closeAfter(res);
  }

  /** Resolves once no request is running. */
  idle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.whenIdle.push(resolve));
  }

  /**
   * Past the deadline: answers 503 to every request that has not started its answer.
   * `written` resolves once those answers are out; requests that had started
   * answering are left to the process exit.
   */
  cutOff(): { answered: number; written: Promise<void> } {
    const unanswered = [...this.running].filter((res) => !res.headersSent);
    const written = Promise.all(unanswered.map(answerGoingAway)).then(() => {});
    return { answered: unanswered.length, written };
  }

  private wake() {
    const waiting = this.whenIdle;
    this.whenIdle = [];
    for (const resolve of waiting) resolve();
  }
}

function closeAfter(res: Response) {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}

const nodeEnd: (this: ServerResponse, chunk: string) => ServerResponse = ServerResponse.prototype.end;

function answerGoingAway(res: Response): Promise<void> {
  const json = wantsJson(res.req);
  const body = json ? JSON.stringify({ error: GOING_AWAY }) : GOING_AWAY;
  res.statusCode = 503;
  res.setHeader('Content-Type', json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8');
  res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  res.setHeader('Connection', 'close');
  // Written past the compression middleware (below), which would still label it gzip
  // for a client that accepts gzip: no-transform keeps it from claiming an encoding.
  res.setHeader('Cache-Control', 'no-store, no-transform');
  return new Promise((resolve) => {
    res.once('close', resolve);
    // Node's own end(), not the one express-session wraps: the handler never finished,
    // so its half-made session changes must not be saved, and the store may be the
    // very thing that hangs.
    nodeEnd.call(res, body);
  });
}

// One Drain per app: server.ts begins it; the app's first middleware and /readyz
// read it. Kept beside the app rather than in a module global, so every app a test
// builds has its own, and createApp's signature stays as it is.
const drains = new WeakMap<object, Drain>();

export function drainOf(app: object): Drain {
  let drain = drains.get(app);
  if (!drain) {
    drain = new Drain();
    drains.set(app, drain);
  }
  return drain;
}
