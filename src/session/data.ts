// The shape of everything Session Shop keeps in a session. Only session/state.ts
// reads or writes these keys; this file tells TypeScript what they hold, and
// which sessions are worth keeping.
import type { SessionData } from 'express-session';
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
    /**
     * An opaque tag (an HMAC of the user id, see session/sign-in.ts) of the account whose
     * saved cart `cart` is a copy of: set at login, kept when the login expires, so the
     * next login neither merges that cart into itself again nor hands it to another account.
     */
    cartOwner: string;
    checkoutToken: string;
    timeline: TimelineEvent[];
    // csrfToken is declared by csrf-sync.
  }
}

/**
 * A session with a cart or a user is worth keeping: it lives for the long lifetime
 * (ShopSession.refreshLifetime) and in the store's kept tier (session/tiered-store.ts).
 * Anything else — a passing visitor, a bot — may expire soon and be evicted first.
 */
export function worthKeeping(data: Partial<SessionData>): boolean {
  return data.cart !== undefined || data.user !== undefined;
}
