// What a request must take back when its answer is a refusal. A request that changes
// the session and the database writes the database first (the saved cart, the
// preferences) and registers here how to undo each write; session/store/commit.ts runs the
// undos when the session write fails or the answer is a 5xx, so an error answer
// always means that nothing changed.
import type { Request } from 'express';

export type Undo = () => Promise<void>;

const undos = new WeakMap<Request, Undo[]>();

/** Registers how to undo a database write `req` has made, should its answer be a refusal. */
export function undoIfRefused(req: Request, undo: Undo): void {
  const list = undos.get(req);
  if (list) list.push(undo);
  else undos.set(req, [undo]);
}

/** True when `req` made database writes that a refusal must take back. */
export function hasUndos(req: Request): boolean {
  return undos.has(req);
}

/**
 * Undoes the request's database writes, the latest first. One that fails is logged and
 * the others still run: each undo touches only what its own write changed.
 */
export async function takeBack(req: Request): Promise<void> {
  const list = undos.get(req) ?? [];
  undos.delete(req);
  for (const undo of list.reverse()) {
    await undo().catch((err: unknown) =>
      req.log?.error({ err }, 'a refused request’s database write could not be undone'),
    );
  }
}
