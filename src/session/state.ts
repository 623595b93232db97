// The one module that owns every session key. Routes never touch req.session:
// they ask req.shopSession for the cart, the preferences, the user… Changes of the
// cart, the preferences and the user set the session's lifetime and, while the
// inspector is on, go on its timeline with what they changed (session/timeline.ts).
import type { Request } from 'express';
import type { Cart } from '../cart/cart.js';
import { emptyCart } from '../cart/cart.js';
import type { Change, CheckoutForm, FlashMessage, Prefs, SessionUser, TimelineEvent } from './data.js';
import { DEFAULT_PREFS, worthKeeping } from './data.js';
import { type Undo, undoIfRefused } from './take-back.js';
import { appended, cartChanges, mergeChanges, prefChanges, userChange } from './timeline.js';

export type SessionPolicy = {
  /** Lifetime of a session that holds nothing worth keeping. */
  emptyTtlMs: number;
  /** Lifetime (idle, rolling) of a session with a cart or a user. */
  cartTtlMs: number;
  /** Keep a timeline of events for the session inspector. */
  timeline: boolean;
  /** Events kept on the timeline. */
  timelineLength: number;
  /** express-session's saveUninitialized: every new session is stored, even empty. */
  saveUninitialized: boolean;
};

const RECENTLY_VIEWED = 5;

/** The two carts a login merges: this browser's (the guest's) and the account's saved one. */
export type MergedCarts = { guest: Cart; saved: Cart };

/** What survives a regeneration (login, auth expiry): read it before regenerate() wipes the session. */
export type CarriedState = {
  cart: Cart;
  prefs: Partial<Prefs>;
  timeline: TimelineEvent[];
  guestOrderIds: string[];
  recentlyViewed: string[];
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

  // Changes made without an event of their own (a sign-in), put on the next one.
  private unrecorded: Change[] | undefined;

  get id(): string {
    return this.req.sessionID;
  }

  /**
   * Opens the timeline with `created` and why the session came to be stored: once per
   * session, while the timeline is kept. It writes to the session, so it comes with the
   * first thing actually stored, or on the first request when saveUninitialized stores
   * every session anyway (session/middleware.ts).
   */
  begin(reason: string): void {
    if (!this.policy.timeline || this.data.timeline !== undefined) return;
    this.data.timeline = [{ at: new Date().toISOString(), event: 'created', detail: { reason } }];
  }

  carryOver(): CarriedState {
    return {
      cart: this.cart,
      prefs: this.chosenPrefs,
      timeline: this.timeline,
      guestOrderIds: this.guestOrderIds,
      recentlyViewed: this.recentlyViewed,
      cartOwner: this.data.cartOwner,
    };
  }

  /** Puts carried state into a freshly regenerated session; the caller records why. */
  restore(carried: CarriedState): void {
    // Even empty: the session goes on (a regenerated one), so no `created` opens its timeline.
    if (this.policy.timeline) this.data.timeline = carried.timeline;
    if (Object.keys(carried.prefs).length > 0) this.data.prefs = carried.prefs;
    if (carried.guestOrderIds.length > 0) this.data.guestOrderIds = carried.guestOrderIds;
    if (carried.recentlyViewed.length > 0) this.data.recentlyViewed = carried.recentlyViewed;
    if (carried.cart.lines.length > 0) this.data.cart = carried.cart;
    if (carried.cart.lines.length > 0 && carried.cartOwner) this.data.cartOwner = carried.cartOwner;
    this.refreshLifetime();
  }

  get cart(): Cart {
    return this.data.cart ?? emptyCart();
  }

  /**
   * Stores the cart and records why; a session with a cart lives longer. `merged`: the
   * guest and saved carts a login merged into `cart`, for the timeline to show both.
   */
  setCart(cart: Cart, event: string, detail?: Record<string, unknown>, merged?: MergedCarts): void {
    const changes = () => (merged ? mergeChanges(merged.guest, merged.saved, cart) : cartChanges(this.data.cart, cart));
    const changed = this.policy.timeline ? changes() : [];
    if (cart.lines.length === 0) {
      delete this.data.cart;
      // While logged in the owner tag stays: whatever goes into the cart next is the
      // member's saved cart too, and must not count as a guest's when the login expires.
      if (this.data.user === undefined) delete this.data.cartOwner;
    } else {
      this.data.cart = cart;
      delete this.data.lastOrderId; // a new cart: Back to the checkout is no longer about that order
    }
    this.refreshLifetime();
    this.record(event, detail, changed);
  }

  get prefs(): Prefs {
    return { ...DEFAULT_PREFS, ...this.data.prefs };
  }

  /** Only what the shopper chose; at login these win over the saved preferences. */
  get chosenPrefs(): Partial<Prefs> {
    return { ...this.data.prefs };
  }

  setPrefs(changes: Partial<Prefs>): void {
    const changed = this.policy.timeline ? prefChanges(this.prefs, changes) : [];
    this.data.prefs = { ...this.data.prefs, ...changes };
    this.refreshLifetime(); // chosen preferences live as long as a cart (see worthKeeping)
    this.record('preferences', changes, changed);
  }

  get recentlyViewed(): string[] {
    return this.data.recentlyViewed ?? [];
  }

  /** Most recent first, each product once. Not on the timeline: it would drown the rest. */
  viewed(productId: string): void {
    this.begin('a product page remembered what you viewed');
    const rest = this.recentlyViewed.filter((id) => id !== productId);
    this.data.recentlyViewed = [productId, ...rest].slice(0, RECENTLY_VIEWED);
  }

  get user(): SessionUser | undefined {
    return this.data.user;
  }

  /**
   * Call on a freshly regenerated session only (see session/lifecycle.ts). `cartOwner`
   * is the member's opaque tag (session/sign-in.ts): the cart mirrors their saved one,
   * which is what the next login must know should this one expire. `newMember`: the
   * account was created by this sign-in (a registration).
   */
  signIn(user: { id: string; username: string }, cartOwner: string, now = Date.now(), newMember = false): void {
    if (this.policy.timeline) this.unrecorded = userChange(this.data.user?.username, user.username);
    this.data.user = { id: user.id, username: user.username, authenticatedAt: now, lastSeenAt: now };
    if (newMember) this.data.user.newMember = true;
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
    if (token) this.begin('a form on the page needed a CSRF token, which lives in the session');
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

  /** Keeps a refused checkout form for the next view of the form (post/redirect/get). */
  keepCheckoutForm(form: CheckoutForm): void {
    this.data.checkoutForm = form;
  }

  /** The refused form, shown once: reading it removes it, like a flash message. */
  takeCheckoutForm(): CheckoutForm | undefined {
    const form = this.data.checkoutForm;
    if (form !== undefined) delete this.data.checkoutForm;
    return form;
  }

  get lastOrderId(): string | undefined {
    return this.data.lastOrderId;
  }

  set lastOrderId(orderId: string | undefined) {
    if (orderId) this.data.lastOrderId = orderId;
    else delete this.data.lastOrderId;
  }

  /**
   * A database write made for this request alongside the session (the saved cart, the
   * preferences): undone if the request is refused after all (session/take-back.ts).
   */
  undoIfRefused(undo: Undo): void {
    undoIfRefused(this.req, undo);
  }

  /** True while the inspector is on and this session's events are recorded. */
  get keepsTimeline(): boolean {
    return this.policy.timeline;
  }

  get timeline(): TimelineEvent[] {
    return this.data.timeline ?? [];
  }

  /** The whole session as stored, cookie and timeline included: for the inspector only. */
  get raw(): Readonly<Request['session']> {
    return this.data;
  }

  /**
   * Adds an event to the inspector's timeline (kept only while the inspector is on),
   * with what it changed. The first one opens the timeline with `created`.
   */
  record(event: string, detail?: Record<string, unknown>, changed: Change[] = []): void {
    if (!this.policy.timeline) return;
    this.begin('its first change');
    const all = [...(this.unrecorded ?? []), ...changed];
    this.unrecorded = undefined;
    const entry: TimelineEvent = {
      at: new Date().toISOString(),
      event,
      ...(detail ? { detail } : {}),
      ...(all.length > 0 ? { changed: all } : {}),
    };
    this.data.timeline = appended(this.timeline, entry, this.policy.timelineLength);
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
