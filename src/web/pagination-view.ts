// The pagination partial's model (views/partials/pagination.hbs), for every list that
// is shown a page at a time: the catalog and a member's order history.

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
