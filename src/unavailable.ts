// A dependency (the session store, the database) that could not do what was asked:
// it is down or did not answer in time (unavailable), it has no room (full), or another
// writer held what we needed for too long (busy), or its replicas did not confirm a
// write in time (unreplicated: REDIS_WAIT_REPLICAS; the write is undone). Every layer may throw it; the error
// handler answers 503 with its message, so a shopper reads what happened and whether
// to wait, instead of a hang or a 500. The dependency's own error is its `cause`,
// which the log shows.

export type Dependency = 'sessions' | 'database';
export type Trouble = 'unavailable' | 'full' | 'busy' | 'unreplicated';

const NAMES: Record<Dependency, string> = { sessions: 'The session store', database: 'The database' };

const SAYS: Record<Trouble, string> = {
  unavailable: 'is unavailable. Please try again in a moment.',
  full: 'is full, so nothing new can be saved right now. Please try again later.',
  busy: 'is busy. Please try again.',
  unreplicated: 'could not keep a safe copy of your change in time, so it was not saved. Please try again in a moment.',
};

export class UnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    readonly trouble: Trouble = 'unavailable',
    options?: ErrorOptions,
  ) {
    super(`${NAMES[dependency]} ${SAYS[trouble]}`, options);
  }
}

/**
 * Settles with `work`, or rejects with `onTimeout()` after `ms`. The work itself
 * is not cancelled: callers make sure a late result can do no harm.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * A call to `dependency`, bounded by `ms` (unbounded when undefined): whatever makes
 * it fail — a timeout, a refused connection, a refused command — is UnavailableError.
 */
export function callDependency<T>(dependency: Dependency, work: Promise<T>, ms?: number): Promise<T> {
  const bounded = ms === undefined ? work : withTimeout(work, ms, () => new UnavailableError(dependency));
  return bounded.catch((err: unknown) => {
    throw asUnavailable(dependency, err);
  });
}

/** Whatever went wrong with `dependency`, as the UnavailableError that tells the shopper. */
export function asUnavailable(dependency: Dependency, err: unknown): UnavailableError {
  if (err instanceof UnavailableError) return err;
  return new UnavailableError(dependency, isOutOfMemory(err) ? 'full' : 'unavailable', { cause: err });
}

/** Redis at its maxmemory with nothing it may evict: "OOM command not allowed when used memory > 'maxmemory'". */
function isOutOfMemory(err: unknown): boolean {
  return err instanceof Error && /^OOM\b/.test(err.message);
}
