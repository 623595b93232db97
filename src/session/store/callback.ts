// The session stores speak express-session's callback style over promises. The bridge
// between the two lives here once: a callback is called outside the promise, as
// util.callbackify does, so an exception it throws is not swallowed into a rejection
// nobody handles, and the callback is never called twice.

export type Callback<T> = (err: unknown, value?: T) => void;

/** A callback-style store call as a promise. */
export function promised<T>(fn: (done: Callback<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** Hands a promise's outcome to a store callback, on the next tick. */
export function toCallback<T>(work: Promise<T | undefined>, callback?: Callback<T>): void {
  work.then(
    (value) => process.nextTick(() => callback?.(null, value)),
    (err: unknown) => process.nextTick(() => callback?.(err)),
  );
}
