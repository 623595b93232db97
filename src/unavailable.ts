// A dependency (the session store, the database) that did not answer in time or
// refused the connection. Every layer may throw it; the error handler answers 503
// with its message, so a shopper reads what happened instead of waiting or a 500.

export type Dependency = 'sessions' | 'database';

const MESSAGES: Record<Dependency, string> = {
  sessions: 'The session store is unavailable. Please try again in a moment.',
  database: 'The database is unavailable. Please try again in a moment.',
};

export class UnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    options?: ErrorOptions,
  ) {
    super(MESSAGES[dependency], options);
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
  return err instanceof UnavailableError ? err : new UnavailableError(dependency, { cause: err });
}
