// One path, two audiences: browsers get HTML, API callers JSON.
import type { Request } from 'express';
import { BoundedMap } from '../../bounded-map.js';

// The answer depends on the Accept header alone, and a shop sees few distinct ones (one
// per kind of browser, plus API clients): each is negotiated once, not on every request.
const preferJson = new BoundedMap<string, boolean>(200);

/** True when the caller prefers JSON over HTML (Accept: application/json). */
export function wantsJson(req: Request): boolean {
  const accept = req.headers.accept ?? '';
  let json = preferJson.get(accept);
  if (json === undefined) {
    json = req.accepts(['html', 'json']) === 'json';
    preferJson.set(accept, json);
  }
  return json;
}
