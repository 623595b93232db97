// The one module that owns every session key. Routes never touch req.session:
// they ask req.shopSession for the cart, the preferences, the user… and every
// change is recorded on the inspector's timeline and sets the session's lifetime.
import type { Request } from 'express';
import type { Cart } from '../cart/types.js';
import { emptyCart } from '../cart/types.js';
import type { FlashMessage, Prefs, SessionUser, TimelineEvent } from './data.js';
import { DEFAULT_PREFS, worthKeeping } from './data.js';

export type SessionPolicy = {
  /** Lifetime of a session that holds nothing worth keeping. */
  emptyTtlMs: number;
  /** Lifetime (idle, rolling) of a session with a cart or a user. */
  cartTtlMs: number;
  /** Keep a timeline of events for the session inspector. */
  timeline: boolean;
};

const RECENTLY_VIEWED = 5;
const TIMELINE_LENGTH = 20;

/** What survives a regeneration (login, auth expiry): read it before regenerate() wipes the session. */
export type CarriedState = {
  cart: Cart;
  prefs: Partial<Prefs>;
  timeline: TimelineEvent[];
  guestOrderIds: string[];
  /** An opaque tag of the user whose saved cart `cart` is a copy of, if any (see session/sign-in.ts). */
  cartOwner?: string;
};

export class ShopSession {
  constructor(
    private readonly req: Request,
    private readonly policy: SessionPolicy,
  ) {}

  // req.session is replaced by regenerate() and reload(): always read it afresh.
  private get data() {
    return this.req.session;
  }

  get id(): string {
    return this.req.sessionID;
  }

  /** Called once per new session: starts the absolute clock. */
  start(now = Date.now(), detail?: Record<string, unknown>): void {
    this.data.createdAt = now;
    this.record('created', detail);
  }

  carryOver(): CarriedState {
    return {
      cart: this.cart,
      prefs: this.chosenPrefs,
      timeline: this.timeline,
      guestOrderIds: this.guestOrderIds,
      cartOwner: this.data.cartOwner,
    };
  }

  /** Puts carried state into a freshly regenerated session; the caller records why. */
  restore(carried: CarriedState, now = Date.now()): void {
    this.data.createdAt = now;
    if (this.policy.timeline && carried.timeline.length > 0) this.data.timeline = carried.timeline;
    if (Object.keys(carried.prefs).length > 0) this.data.prefs = carried.prefs;
    if (carried.guestOrderIds.length > 0) this.data.guestOrderIds = carried.guestOrderIds;
    if (carried.cart.lines.length > 0) this.data.cart = carried.cart;
    if (carried.cart.lines.length > 0 && carried.cartOwner) this.data.cartOwner = carried.cartOwner;
    this.refreshLifetime();
  }

  get isStarted(): boolean {
    return this.data.createdAt !== undefined;
  }

  get createdAt(): number | undefined {
    return this.data.createdAt;
  }

  get cart(): Cart {
    return this.data.cart ?? emptyCart();
  }

  /** Stores the cart and records why; a session with a cart lives longer. */
  setCart(cart: Cart, event: string, detail?: Record<string, unknown>): void {
    if (cart.lines.length === 0) {
      delete this.data.cart;
      // While logged in the owner tag stays: whatever goes into the cart next is the
      // member's saved cart too, and must not count as a guest's when the login expires.
      if (this.data.user === undefined) delete this.data.cartOwner;
    } else this.data.cart = cart;
    this.refreshLifetime();
    this.record(event, detail);
  }

  get prefs(): Prefs {
    return { ...DEFAULT_PREFS, ...this.data.prefs };
  }

  /** Only what the shopper chose; at login these win over the saved preferences. */
  get chosenPrefs(): Partial<Prefs> {
    return { ...this.data.prefs };
  }

  setPrefs(changes: Partial<Prefs>): void {
    this.data.prefs = { ...this.data.prefs, ...changes };
    this.record('preferences', changes);
  }

  get recentlyViewed(): string[] {
    return this.data.recentlyViewed ?? [];
  }

  /** Most recent first, each product once. Not on the timeline: it would drown the rest. */
  viewed(productId: string): void {
    const rest = this.recentlyViewed.filter((id) => id !== productId);
    this.data.recentlyViewed = [productId, ...rest].slice(0, RECENTLY_VIEWED);
  }

  get user(): SessionUser | undefined {
    return this.data.user;
  }

  /**
   * Call on a freshly regenerated session only (see session/lifecycle.ts). `cartOwner`
   * is the member's opaque tag (session/sign-in.ts): the cart mirrors their saved one,
   * which is what the next login must know should this one expire.
   */
  signIn(user: { id: string; username: string }, cartOwner: string, now = Date.now()): void {
    this.data.user = { id: user.id, username: user.username, authenticatedAt: now, lastSeenAt: now };
    this.data.cartOwner = cartOwner;
    this.refreshLifetime();
  }

  /**
   * Slides the idle auth timeout. Written only when it has moved by `granularityMs`,
   * so a busy shopper does not cost a session write on every request.
   */
  seen(now: number, granularityMs: number): void {
    const user = this.data.user;
    if (user && now - user.lastSeenAt >= granularityMs) user.lastSeenAt = now;
  }

  flash(kind: FlashMessage['kind'], text: string): void {
    this.data.flash = [...(this.data.flash ?? []), { kind, text }];
  }

  /** Flash messages are shown once: reading them removes them. */
  takeFlash(): FlashMessage[] {
    const messages = this.data.flash ?? [];
    if (messages.length > 0) delete this.data.flash;
    return messages;
  }

  get csrfToken(): string | undefined {
    return this.data.csrfToken ?? undefined;
  }

  set csrfToken(token: string | null | undefined) {
    if (token) this.data.csrfToken = token;
    else delete this.data.csrfToken;
  }

  get guestOrderIds(): string[] {
    return this.data.guestOrderIds ?? [];
  }

  rememberGuestOrder(orderId: string): void {
    this.data.guestOrderIds = [...this.guestOrderIds.filter((id) => id !== orderId), orderId].slice(-20);
  }

  get checkoutToken(): string | undefined {
    return this.data.checkoutToken;
  }

  set checkoutToken(token: string | undefined) {
    if (token) this.data.checkoutToken = token;
    else delete this.data.checkoutToken;
  }

  get timeline(): TimelineEvent[] {
    return this.data.timeline ?? [];
  }

  /** Adds an event to the inspector's timeline (kept only while the inspector is on). */
  record(event: string, detail?: Record<string, unknown>): void {
    if (!this.policy.timeline) return;
    const entry: TimelineEvent = { at: new Date().toISOString(), event, ...(detail ? { detail } : {}) };
    this.data.timeline = [...this.timeline, entry].slice(-TIMELINE_LENGTH);
  }

  /** The cookie's attributes as express-session will send them. */
  get cookie() {
    const c = this.data.cookie;
    return {
      expires: c.expires instanceof Date ? c.expires.toISOString() : null,
      maxAgeMs: c.maxAge ?? null,
      httpOnly: c.httpOnly ?? false,
      secure: c.secure ?? false,
      sameSite: c.sameSite ?? null,
      path: c.path ?? '/',
    };
  }

  /**
   * What the inspector shows: everything stored, with the secrets redacted. The cart
   * owner's tag too: opaque as it is, it would let the next person at this browser
   * tell whether two kept carts belonged to the same member.
   */
  snapshot(): Record<string, unknown> {
    const { cookie: _cookie, timeline: _timeline, ...data } = this.data;
    if ('csrfToken' in data) data.csrfToken = '[redacted]';
    if ('checkoutToken' in data) data.checkoutToken = '[redacted]';
    if ('cartOwner' in data) data.cartOwner = '[redacted]';
    return data;
  }

  /**
   * Empty sessions (a passing visitor, a bot) expire soon; a session with a cart or a
   * user lives for the long guest-cart lifetime. The store's TTL follows cookie.maxAge.
   */
  private refreshLifetime(): void {
    this.data.cookie.maxAge = worthKeeping(this.data) ? this.policy.cartTtlMs : this.policy.emptyTtlMs;
  }
}

declare global {
  namespace Express {
    interface Request {
      shopSession: ShopSession;
    }
  }
}
