// The two places search speaks its engine's language: which products hold every
// query word (as a word or the beginning of one), and how well each word matches —
// 4 a whole word of the name, 3 the beginning of one, 2 a whole word of the
// description or category, 1 the beginning of one. Words arrive folded (search.ts):
// letters and digits only, so they are safe inside an FTS5 or tsquery string.
import { type RawBuilder, sql } from 'kysely';
import type { Engine } from '../db/migrations.js';

/** A condition on `p` (the products table): every word is there. */
export function matchesAll(engine: Engine, words: readonly string[]): RawBuilder<boolean> {
  if (engine === 'postgres') {
    return sql<boolean>`p.search @@ ${tsquery(words.map((w) => `${w}:*`).join(' & '))}`;
  }
  return sql<boolean>`p.search_id in (select rowid from products_fts where products_fts match ${words.map((w) => `"${w}"*`).join(' ')})`;
}

/** The sum of each word's best score: a name match always outranks a description match. */
export function relevance(engine: Engine, words: readonly string[]): RawBuilder<number> {
  const scores = words.map((w) => {
    const [nameWord, nameStart, anyWord] =
      engine === 'postgres'
        ? [`${w}:A`, `${w}:*A`, w].map((q) => sql`p.search @@ ${tsquery(q)}`)
        : [`name : "${w}"`, `name : "${w}"*`, `"${w}"`].map(
            (q) => sql`p.search_id in (select rowid from products_fts where products_fts match ${q})`,
          );
    return sql`(case when ${nameWord} then 4 when ${nameStart} then 3 when ${anyWord} then 2 else 1 end)`;
  });
  return sql<number>`(${sql.join(scores, sql` + `)})`;
}

/** Unaccented as the documents are (unaccent knows more than NFD: "ß" is "ss"). */
const tsquery = (text: string) => sql`to_tsquery('simple', shop_unaccent(${text}))`;

/** PostgreSQL finds the nearest word with pg_trgm's index; SQLite has no trigram operator (catalog-search.ts). */
export function nearestWordQuery(word: string): RawBuilder<{ word: string }> {
  return sql<{ word: string }>`
    select word from catalog_words where word % ${word}
    order by similarity(word, ${word}) desc, word limit 1`;
}
