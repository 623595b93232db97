// The shape of everything Session Shop keeps in a session. Only session/state.ts
// reads or writes these keys; this file tells TypeScript what they hold, and
// which sessions are worth keeping.
import type { SessionData } from 'express-session';
import type { Cart } from '../cart/cart.js';
import type { Prefs } from '../catalog/prefs.js';

// The preferences are the catalog's (catalog/prefs.ts); the session only carries them.
export { DEFAULT_PREFS, PAGE_SIZES, type Prefs, SORTS, THEMES, VIEWS } from '../catalog/prefs.js';

export type SessionUser = {
  id: string;
  username: string;
  /** Epoch ms of the login: the absolute auth lifetime runs from here. */
  authenticatedAt: number;
  /** Epoch ms of the last request: the idle auth timeout runs from here. */
  lastSeenAt: number;
  /** Set when this very login created the account: its pages greet a new member, not a returning one. */
  newMember?: true;
};

export type FlashMessage = { kind: 'success' | 'info' | 'warning' | 'error'; text: string };

/**
 * One thing a request changed: `cart.p-001` 0 → 2, `prefs.theme` light → dark, `user` none → ravi.
 * A login merge also says what the account's saved cart held (`saved`): guest 3, saved 2 → 5.
 */
export type Change = { key: string; from: string | number | null; to: string | number | null; saved?: number };

/** A refused checkout form, kept for the one view the redirect leads to (post/redirect/get). */
export type CheckoutForm = {
  values: Record<string, string>;
  errors: { path: string; label: string; message: string }[];
};

export type TimelineEvent = { at: string; event: string; detail?: Record<string, unknown>; changed?: Change[] };

declare module 'express-session' {
  interface SessionData {
    cart: Cart;
    /** Only the preferences the shopper chose; defaults fill the rest on read. */
    prefs: Partial<Prefs>;
    recentlyViewed: string[];
    user: SessionUser;
    flash: FlashMessage[];
    guestOrderIds: string[];
    /**
     * An opaque tag (an HMAC of the user id, see session/sign-in.ts) of the account whose
     * saved cart `cart` is a copy of: set at login, kept when the login expires, so the
     * next login neither merges that cart into itself again nor hands it to another account.
     */
    cartOwner: string;
    checkoutToken: string;
    /** Shown by the next GET /checkout, then gone. */
    checkoutForm: CheckoutForm;
    /** The order just placed, until the cart fills again: Back to /checkout says it was placed. */
    lastOrderId: string;
    timeline: TimelineEvent[];
    // csrfToken is declared by csrf-sync.
  }
}

/**
 * A session with a cart, a user or chosen preferences is worth keeping: it lives for the
 * long lifetime (ShopSession.refreshLifetime) and in the store's kept tier
 * (session/store/tiered-store.ts). A guest who picked the dark theme expects it back as long
 * as a cart would be. Anything else — a passing visitor, a bot — may expire soon and be
 * evicted first.
 */
export function worthKeeping(data: Partial<SessionData>): boolean {
  const chosePrefs = data.prefs !== undefined && Object.keys(data.prefs).length > 0;
  return data.cart !== undefined || data.user !== undefined || chosePrefs;
}
