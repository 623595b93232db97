// The shape of everything Session Shop keeps in a session. Only session/state.ts
// reads or writes these keys; this file just tells TypeScript what they hold.
import type { Cart } from '../cart/types.js';

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

export type SessionUser = {
  id: string;
  username: string;
  /** Epoch ms of the login: the absolute auth lifetime runs from here. */
  authenticatedAt: number;
  /** Epoch ms of the last request: the idle auth timeout runs from here. */
  lastSeenAt: number;
};

export type FlashMessage = { kind: 'success' | 'info' | 'warning' | 'error'; text: string };

export type TimelineEvent = { at: string; event: string; detail?: Record<string, unknown> };

declare module 'express-session' {
  interface SessionData {
    cart: Cart;
    /** Only the preferences the shopper chose; defaults fill the rest on read. */
    prefs: Partial<Prefs>;
    recentlyViewed: string[];
    user: SessionUser;
    createdAt: number;
    flash: FlashMessage[];
    guestOrderIds: string[];
    /** Set when a login expired: the cart is a copy of this user's saved cart, not a guest's. */
    cartOwner: string;
    checkoutToken: string;
    timeline: TimelineEvent[];
    // csrfToken is declared by csrf-sync.
  }
}
