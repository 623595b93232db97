// Text search: which products a query finds, and how well. Every query word must
// begin a word of the product ("bean" finds "Beans", "tea" never finds "steamed"); a
// whole word beats a beginning, and a match in the name beats one in the description.
import type { Product } from './products.js';

const wordsOf = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** The query's words; undefined when there is no query (everything matches). */
export function queryWords(q: string | undefined): string[] | undefined {
  return q === undefined || q.trim() === '' ? undefined : wordsOf(q);
}

// Name matches score above every description match, so they always rank first.
const SCORES = { nameWord: 4, nameStart: 3, textWord: 2, textStart: 1 } as const;

/** 0 when a query word is missing; the higher, the better the product matches. */
export function relevance(product: Product, words: readonly string[]): number {
  if (words.length === 0) return 0; // a query of punctuation alone finds nothing
  const name = wordsOf(product.name);
  const text = wordsOf(`${product.description} ${product.category}`);
  let total = 0;
  for (const word of words) {
    const score = Math.max(
      scoreIn(name, word, SCORES.nameWord, SCORES.nameStart),
      scoreIn(text, word, SCORES.textWord, SCORES.textStart),
    );
    if (score === 0) return 0;
    total += score;
  }
  return total;
}

function scoreIn(words: readonly string[], word: string, whole: number, start: number): number {
  if (words.includes(word)) return whole;
  return words.some((w) => w.startsWith(word)) ? start : 0;
}
