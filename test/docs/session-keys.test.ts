// The guides' §7 lists the session's keys; src/session/data.ts declares them. This keeps
// the two the same list, so a key added, renamed or dropped in the code shows up here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The keys of the `interface SessionData` augmentation, plus those a comment says a library declares. */
function declaredKeys(source: string): string[] {
  const body = /interface SessionData \{([\s\S]*?)\n {2}\}/.exec(source)?.[1] ?? '';
  const withoutDocs = body.replace(/\/\*\*[\s\S]*?\*\//g, '');
  const own = [...withoutDocs.matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1] ?? '');
  const elsewhere = [...body.matchAll(/\/\/ (\w+) is declared by /g)].map((m) => m[1] ?? '');
  return [...own, ...elsewhere].sort();
}

/** The keys the §7 block lists: the first word of each line, without its `?`. */
function guideKeys(markdown: string): string[] {
  const section = /^## 7\.[\s\S]*?^```text\n([\s\S]*?)^```$/m.exec(markdown)?.[1] ?? '';
  return section
    .split('\n')
    .filter(Boolean)
    .map((line) => /^(\w+)\??\s/.exec(line)?.[1] ?? `unreadable line: ${line}`)
    .sort();
}

describe('the session keys', () => {
  const code = declaredKeys(read('src/session/data.ts'));

  it('are read from src/session/data.ts', () => {
    expect(code).toContain('cart');
    expect(code).toContain('csrfToken');
    expect(code.length).toBeGreaterThanOrEqual(10);
  });

  it.each(['docs/guide.md', 'docs/guide.hi-Latn.md'])('are listed in %s §7, no more and no fewer', (path) => {
    expect(guideKeys(read(path))).toEqual(code);
  });
});
