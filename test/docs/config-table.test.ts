// The configuration table (docs/operating.md) lists exactly the variables src/config.ts reads,
// each with a default: a new setting cannot ship undocumented, nor a removed one linger.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const operating = readFileSync(join(ROOT, 'docs/operating.md'), 'utf8');
const configSource = readFileSync(join(ROOT, 'src/config.ts'), 'utf8');

/** The keys of the environment schema, read from its source: `  NAME: z…` lines. */
function schemaKeys(): string[] {
  const start = configSource.indexOf('const envSchema = z.object({');
  const end = configSource.indexOf('\n});', start);
  if (start < 0 || end < 0) throw new Error('envSchema not found in src/config.ts');
  const body = configSource.slice(start, end);
  return [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? '').sort();
}

/** Rows of the table under "## Configuration": [variables, default]. */
function tableRows(): { names: string[]; fallback: string }[] {
  const section = operating.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, first = '', fallback = ''] = line.split('|').map((cell) => cell.trim());
      return { names: [...first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] ?? ''), fallback };
    });
}

describe('the configuration table in docs/operating.md', () => {
  it('reads the schema keys from src/config.ts', () => {
    const keys = schemaKeys();
    for (const key of ['PORT', 'SESSION_SECRET', 'REDIS_URL', 'STARTUP_RETRY_MS']) expect(keys).toContain(key);
  });

  it('lists every variable of src/config.ts, and nothing else', () => {
    const documented = tableRows()
      .flatMap((row) => row.names)
      .sort();
    expect(documented).toEqual(schemaKeys());
  });

  it('gives every variable a default', () => {
    for (const row of tableRows()) expect(row.fallback, row.names.join(' / ')).not.toBe('');
  });
});
