// The pagination partial's model (views/partials/pagination.hbs), for every list that
// is shown a page at a time: the catalog and a member's order history; and how both
// read ?page=.
import type { Request } from 'express';

export type PaginationModel = { page: number; pageCount: number; prev?: string; next?: string; show: boolean };

/** `link(n)`: the URL of page n of the same list. */
export function paginationModel(page: number, pageCount: number, link: (n: number) => string): PaginationModel {
  return {
    page,
    pageCount,
    prev: page > 1 ? link(page - 1) : undefined,
    next: page < pageCount ? link(page + 1) : undefined,
    show: pageCount > 1,
  };
}

/**
 * ?page= as a page number, at most `max`; 'invalid' for a page below 1 or not a whole
 * number, which a list answers by sending the shopper to its page 1 (urlWithout).
 * Past the end a list shows its last page.
 */
export function pageOf(value: unknown, max: number): number | 'invalid' | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value) || Number(value) < 1) return 'invalid';
  return Math.min(Number(value), max);
}

/** The URL as asked, without one parameter: `/?q=tea&page=0` → `/?q=tea`. */
export function urlWithout(req: Request, name: string): string {
  const [path = '/', query = ''] = req.originalUrl.split('?');
  const params = new URLSearchParams(query);
  params.delete(name);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
