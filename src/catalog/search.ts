// Words as search sees them, on both engines: lower case, accents dropped, split on
// anything that is not a letter or digit. Also the trigram similarity (pg_trgm's own
// formula) that corrects a misspelt word to the nearest word of the catalog.

/** "ETHIOPÍA" and "ethiopia" are one word; so are "café" and "cafe". */
export function foldWord(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export const wordsOf = (text: string): string[] =>
  foldWord(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** The query's words; undefined when there is no query (everything matches). */
export function queryWords(q: string | undefined): string[] | undefined {
  return q === undefined || q.trim() === '' ? undefined : wordsOf(q);
}

/** pg_trgm's trigrams: the word padded with two spaces in front and one behind. */
export function trigrams(word: string): Set<string> {
  const padded = `  ${word} `;
  const found = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) found.add(padded.slice(i, i + 3));
  return found;
}

/** Shared trigrams over all distinct trigrams of the two words, 0 to 1, as pg_trgm's similarity(). */
export function similarity(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const all = a.size + b.size - shared;
  return all === 0 ? 0 : shared / all;
}

/** pg_trgm's default pg_trgm.similarity_threshold: below it, two words are not "near". */
export const SIMILARITY_THRESHOLD = 0.3;

/** True when some word of the sorted list begins with `prefix` (a binary search). */
export function hasWordStarting(sorted: readonly string[], prefix: string): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? '') < prefix) low = mid + 1;
    else high = mid;
  }
  return sorted[low]?.startsWith(prefix) ?? false;
}
