// How a shopper likes to browse: sort order, grid or list, theme and page size.
// The catalog sorts by them, accounts save them and the session carries them, so the
// types and the one schema that checks them live here, below all three.
import { z } from 'zod';

export const SORTS = ['featured', 'price-asc', 'price-desc', 'name'] as const;
export const VIEWS = ['grid', 'list'] as const;
export const THEMES = ['light', 'dark'] as const;
export const PAGE_SIZES = [6, 12, 24, 48] as const;

export type Prefs = {
  sort: (typeof SORTS)[number];
  view: (typeof VIEWS)[number];
  theme: (typeof THEMES)[number];
  pageSize: (typeof PAGE_SIZES)[number];
};

export const DEFAULT_PREFS: Prefs = { sort: 'featured', view: 'grid', theme: 'light', pageSize: 12 };

/**
 * Any subset of the preferences. The one check for both edges they cross: the
 * preferences form (routes/preferences.ts) and the JSON saved with an account.
 */
export const prefsSchema = z.object({
  sort: z.enum(SORTS).optional(),
  view: z.enum(VIEWS).optional(),
  theme: z.enum(THEMES).optional(),
  pageSize: z.coerce
    .number()
    .pipe(z.union(PAGE_SIZES.map((n) => z.literal(n))))
    .optional(),
});
