// Pages that every shopper asking for the same thing sees alike, but for a few
// per-session parts: the CSRF token, the cart badge and the member's name. Rendering
// such a page through Handlebars costs more than the rest of the request together,
// so it is rendered once with markers where those parts go, kept, and filled in per
// request. The caller's key must name everything else that shapes the page.
import { randomBytes } from 'node:crypto';
import Handlebars from 'handlebars';
import { BoundedMap } from '../../bounded-map.js';

/** The per-session parts of a page; filled in escaped, as Handlebars would. */
export type Holes = { csrf: string; cartCount: string; cartLabel: string; username: string };

const NAMES: readonly (keyof Holes)[] = ['csrf', 'cartCount', 'cartLabel', 'username'];

/** A kept page: its fixed text already encoded, between the names of the holes. */
type Part = Buffer | keyof Holes;

export class PageCache {
  /** Unguessable markers, so text in a URL or a product can never be taken for one. */
  private readonly nonce = randomBytes(8).toString('hex');
  private readonly pattern = new RegExp(`\u0000${this.nonce}:(\\w+)\u0000`, 'g');
  /** The oldest page goes first once `max` are kept. */
  private readonly pages: BoundedMap<string, Part[]>;

  constructor(
    max = 500,
    /** Told whether each lookup found its page (metrics.ts). */
    private readonly lookedUp?: (hit: boolean) => void,
  ) {
    this.pages = new BoundedMap(max);
  }

  /** What to render in place of each per-session part. */
  get markers(): Holes {
    const mark = (name: keyof Holes) => `\u0000${this.nonce}:${name}\u0000`;
    return {
      csrf: mark('csrf'),
      cartCount: mark('cartCount'),
      cartLabel: mark('cartLabel'),
      username: mark('username'),
    };
  }

  /**
   * The cached page for `key` with this shopper's parts filled in, if it is cached.
   * Bytes, not a string: the kept text is encoded once, not on every answer.
   */
  fill(key: string, holes: Holes): Buffer | undefined {
    const parts = this.pages.get(key);
    this.lookedUp?.(parts !== undefined);
    return parts && fillIn(parts, holes);
  }

  /** Keeps a page rendered with `markers`, and returns it with this shopper's parts filled in. */
  store(key: string, rendered: string, holes: Holes): Buffer {
    // split() with a capture group alternates text and hole names: text, name, text, …
    const pieces = compactHtml(rendered).split(this.pattern);
    const parts = pieces.map((piece, i): Part => {
      if (i % 2 === 0) return Buffer.from(piece);
      if (!NAMES.includes(piece as keyof Holes)) throw new Error(`unknown page marker ${piece}`);
      return piece as keyof Holes;
    });
    this.pages.set(key, parts);
    return fillIn(parts, holes);
  }

  get size(): number {
    return this.pages.size;
  }
}

function fillIn(parts: Part[], holes: Holes): Buffer {
  const chunks = parts.map((part) =>
    typeof part === 'string' ? Buffer.from(Handlebars.Utils.escapeExpression(holes[part])) : part,
  );
  return Buffer.concat(chunks);
}

/**
 * The template's indentation, dropped: a line break and the spaces after it render
 * as one space either way, and a cacheable page has no <pre> or <textarea> to protect.
 * Fewer bytes on every answer; renderCachedPage applies it to the pages it cannot
 * cache too, so a page reads the same byte for byte whether it came from the cache.
 */
export function compactHtml(html: string): string {
  return html.replace(/\n\s+/g, '\n');
}
