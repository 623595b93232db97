// The teaching guide exists in English and in Hinglish; these checks keep the two from
// drifting apart, and keep every file either one names pointing at a real file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const english = readFileSync(join(ROOT, 'docs/guide.md'), 'utf8');
const hinglish = readFileSync(join(ROOT, 'docs/guide.hi-Latn.md'), 'utf8');

/** Fenced code blocks, verbatim. */
function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```[^\n]*\n[\s\S]*?^```$/gm)].map((m) => m[0]);
}

/** Markdown outside the code blocks. */
const prose = (markdown: string) => markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');

/** Heading levels in order (`##` → 2), outside code blocks. */
function headingLevels(markdown: string): number[] {
  return [...prose(markdown).matchAll(/^(#{1,6}) /gm)].map((m) => m[1]?.length ?? 0);
}

/** Backticked file paths (`src/session/state.ts`) and functions (`signIn()`). */
function codeReferences(markdown: string): string[] {
  const refs = [...prose(markdown).matchAll(/`([^`\s]+)`/g)].map((m) => m[1] ?? '');
  const isPath = (r: string) => /^[\w.-]+(\/[\w.-]+)+\.\w+$/.test(r);
  const isCall = (r: string) => /^[\w.]+\(\)$/.test(r);
  return [...new Set(refs.filter((r) => isPath(r) || isCall(r)))].sort();
}

describe('docs/guide.md and docs/guide.hi-Latn.md', () => {
  it('have the same headings, level by level, in the same order', () => {
    expect(headingLevels(english).length).toBeGreaterThanOrEqual(10);
    expect(headingLevels(hinglish)).toEqual(headingLevels(english));
  });

  it('number their sections alike', () => {
    const numbers = (md: string) => [...md.matchAll(/^## (\d+)\./gm)].map((m) => m[1]);
    expect(numbers(hinglish)).toEqual(numbers(english));
  });

  it('name the same files and functions', () => {
    expect(codeReferences(english).length).toBeGreaterThanOrEqual(15);
    expect(codeReferences(hinglish)).toEqual(codeReferences(english));
  });

  it('show the same code blocks', () => {
    expect(codeBlocks(english).length).toBeGreaterThanOrEqual(3);
    expect(codeBlocks(hinglish)).toEqual(codeBlocks(english));
  });

  it('name only files that exist', () => {
    const missing = codeReferences(english)
      .filter((ref) => ref.includes('/'))
      .filter((path) => !existsSync(join(ROOT, path)));
    expect(missing).toEqual([]);
  });
});

// The Hinglish pages speak in one register, the polite "aap" forms they open with
// ("padhiye", "kijiye", "dekhiye"): never the familiar commands ("padho", "karo", "dekho").
describe.each(['docs/guide.hi-Latn.md', 'docs/sessions-101.hi-Latn.md'])('%s', (page) => {
  const FAMILIAR =
    /\b(karo|dekho|daalo|kholo|chalao|socho|padho|likho|rakho|bhejo|chuno|badlo|hatao|mitao|(?:padh|le|kar|dekh|rakh) lo|(?:likh|de|kar|rakh|bata) do)\b/gi;

  it('addresses the reader politely throughout (aap: "kijiye", not "karo")', () => {
    const text = prose(readFileSync(join(ROOT, page), 'utf8'));
    expect(text).toMatch(/\b\w+iye\b/);
    expect([...text.matchAll(FAMILIAR)].map((m) => m[0])).toEqual([]);
  });
});
