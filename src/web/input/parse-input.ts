// Untrusted input (bodies, query strings) becomes typed data here, at the edge,
// or a 4xx that names the field a person has to fix. Forms that re-render use
// validate() directly; this is the same check for callers that only refuse.
import type { z } from 'zod';
import { invalidInput, validate } from './validate.js';

/** Parses untrusted input; a failure is a 400 (not an object) or a 422 naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = validate(schema, input);
  if (!result.ok) throw invalidInput(result.errors);
  return result.data;
}
