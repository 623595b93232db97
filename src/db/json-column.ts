// A JSON column read back: parsed and checked against its schema again, since a row
// may predate the schema or have been edited by hand. A row that is not valid (or not
// even JSON) reads as `fallback`, rather than failing with a 500 every request that
// loads it.
import type { z } from 'zod';

export function readJsonColumn<T>(schema: z.ZodType<T>, json: string, fallback: T): T {
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}
