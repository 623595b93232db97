// Pages that every shopper asking for the same thing sees alike, but for a few
// per-session parts: the CSRF token, the cart badge and the member's name. Rendering
// such a page through Handlebars costs more than the rest of the request together,
// so it is rendered once with markers where those parts go, kept, and filled in per
// request. The caller's key must name everything else that shapes the page.
import { randomBytes } from 'node:crypto';
import Handlebars from 'handlebars';

/** The per-session parts of a page; filled in escaped, as Handlebars would. */
export type Holes = { csrf: string; cartCount: string; cartLabel: string; username: string };

const NAMES: readonly (keyof Holes)[] = ['csrf', 'cartCount', 'cartLabel', 'username'];

export class PageCache {
  /** Unguessable markers, so text in a URL or a product can never be taken for one. */
  private readonly nonce = randomBytes(8).toString('hex');
  private readonly pattern = new RegExp(`\u0000${this.nonce}:(\\w+)\u0000`);
  /** Insertion-ordered: the oldest entry goes first once `max` is reached. */
  private readonly pages = new Map<string, string[]>();

  constructor(private readonly max = 500) {}

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

  /** The cached page for `key` with this shopper's parts filled in, if it is cached. */
  fill(key: string, holes: Holes): string | undefined {
    const parts = this.pages.get(key);
    if (parts === undefined) return undefined;
    let html = '';
    // split() with a capture group alternates text and hole names: text, name, text, …
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      html += i % 2 === 0 ? part : Handlebars.Utils.escapeExpression(holes[part as keyof Holes] ?? '');
    }
    return html;
  }

  /** Keeps a page rendered with `markers`. */
  store(key: string, rendered: string): void {
    const parts = rendered.split(new RegExp(this.pattern.source, 'g'));
    for (let i = 1; i < parts.length; i += 2) {
      if (!NAMES.includes(parts[i] as keyof Holes)) throw new Error(`unknown page marker ${parts[i]}`);
    }
    if (this.pages.size >= this.max) {
      const oldest = this.pages.keys().next();
      if (!oldest.done) this.pages.delete(oldest.value);
    }
    this.pages.set(key, parts);
  }

  get size(): number {
    return this.pages.size;
  }
}
