// The requests of the catalog scale section: the same 160 distinct URLs for every
// catalog size — searches (whole words, beginnings, two words, misspellings, accents
// and capitals), category pages and deep pages, each asked once, so none is cached.
import { NOUNS, ORIGINS, STYLES } from './generate-catalog.js';

export type Kind = 'search' | 'category' | 'deep';
export type BenchUrl = { kind: Kind; path: string };

const SORTS = ['featured', 'price-asc', 'price-desc', 'name'] as const;

function searches(): string[] {
  const nouns = Object.values(NOUNS).flat();
  const lower = (s: string) => s.toLowerCase();
  const words = [...ORIGINS, ...STYLES, ...nouns].map(lower);
  const queries = new Set<string>();
  for (const w of words.slice(0, 20)) queries.add(w); // whole words
  for (const w of words.slice(20, 32)) queries.add(w.slice(0, Math.max(3, w.length - 3))); // as typed, half-way
  for (let i = 0; i < 14; i++) queries.add(`${lower(ORIGINS[i] ?? '')} ${lower(nouns[(i * 3) % nouns.length] ?? '')}`);
  for (const w of words.slice(32, 44)) queries.add(w.length > 4 ? w.slice(0, 2) + w.slice(3) : `${w}x`); // a letter dropped
  for (let i = 0; i < 6; i++) queries.add(`${STYLES[i + 10]} ${ORIGINS[i + 14]}`.toUpperCase()); // ÁCCENTS, CAPITALS
  return [...queries].slice(0, 64);
}

export function benchUrls(): BenchUrl[] {
  const urls: BenchUrl[] = searches().map((q) => ({ kind: 'search', path: `/?q=${encodeURIComponent(q)}` }));
  const categories = Object.keys(NOUNS);
  for (let i = 0; i < 48; i++) {
    const category = categories[i % categories.length];
    const sort = SORTS[Math.floor(i / categories.length) % SORTS.length];
    urls.push({ kind: 'category', path: `/?category=${category}&sort=${sort}&page=${1 + i}` });
  }
  for (let i = 0; i < 48; i++) {
    urls.push({ kind: 'deep', path: `/?sort=${SORTS[i % SORTS.length]}&page=${50 + i * 7}` });
  }
  return urls;
}

/** A different set of the same kinds, to warm each server up before anything is timed. */
export function warmupUrls(): BenchUrl[] {
  return ['kettle', 'mug', 'biscotti', 'oolong', 'grind'].flatMap((q, i) => [
    { kind: 'search' as const, path: `/?q=${q}&sort=name` },
    { kind: 'category' as const, path: `/?category=${Object.keys(NOUNS)[i]}&page=2` },
    { kind: 'deep' as const, path: `/?page=${20 + i}` },
  ]);
}
