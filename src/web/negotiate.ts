// One path, two audiences: browsers get HTML, API callers JSON.
import type { Request } from 'express';

/** True when the caller prefers JSON over HTML (Accept: application/json). */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}
