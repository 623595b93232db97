// Everything a shopper reads about their session: a login that ran out (idle and
// absolute each with its own sentence), a page that needs one, and a form whose
// session token no longer matches. The wording lives here alone.

export type SignedOutReason = 'idle' | 'absolute';

export const sessionMessages = {
  /** The flash a shopper finds after their login timed out; the cart stays. */
  signedOut: {
    idle: 'You were signed out after a while without activity. Your cart is still here.',
    absolute:
      'You were signed out because you had been logged in for a long time. Please log in again. Your cart is still here.',
  } satisfies Record<SignedOutReason, string>,
  loginFirst: 'Please login first',
  formExpired: 'This form has expired. Please reload the page and try again.',
  crossSite: 'This request came from another site, so it was refused.',
};
