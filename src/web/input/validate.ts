// Form validation that never throws: a schema and an untrusted body give either the
// typed data or every field error, each with the label a person sees on the form.
// Forms re-render with these; JSON callers get them as a 422 (see invalidInput).
import type { z } from 'zod';
import { HttpError } from '../http/http-error.js';

export type FieldError = { path: string; label: string; message: string };
export type Validation<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

/** The body as a whole: not an object at all (a JSON array or scalar). */
const BODY = '(body)';

export function validate<S extends z.ZodType>(
  schema: S,
  body: unknown,
  labels: Record<string, string> = {},
): Validation<z.infer<S>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ path: BODY, label: 'Request', message: 'must be a JSON object or a form' }] };
  }
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.join('.') || BODY;
    // One message per field: the first problem is the one to fix first.
    if (errors.some((e) => e.path === path)) continue;
    errors.push({ path, label: labels[path] ?? labelFor(path), message: issue.message });
  }
  return { ok: false, errors };
}

/**
 * The refusal a JSON caller gets: 400 for a body that is not an object, else 422
 * whose message names the first field (`email: enter an address like …`) and whose
 * issues list them all.
 */
export function invalidInput(errors: FieldError[]): HttpError {
  const first = errors[0];
  if (first?.path === BODY) return new HttpError(400, 'Expected a JSON object or a form');
  const issues = errors.map(({ path, message }) => ({ path, message }));
  return new HttpError(422, first ? `${first.path}: ${first.message}` : 'Invalid input', issues);
}

/** Field errors by path, for the form's inputs to show their own message. */
export function errorsByField(errors: FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.path, e.message]));
}

/** "postalCode" → "Postal code": a fallback for a field without a label of its own. */
function labelFor(path: string): string {
  const words = path.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
