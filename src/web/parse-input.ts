// Untrusted input (bodies, query strings) becomes typed data here, at the edge,
// or a 4xx that names the field a person has to fix.
import type { z } from 'zod';
import { HttpError } from './http-error.js';

/** Parses untrusted input; a failure is a 422 whose message names the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HttpError(400, 'Expected a JSON object or a form');
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  const first = issues[0];
  throw new HttpError(422, first ? `${first.path}: ${first.message}` : 'Invalid input', issues);
}
