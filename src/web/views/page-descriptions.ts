// Each page's meta description: what a search result or a shared link says about it.
// A page whose text depends on what it shows (a product, a category) passes its own.

const SHOP = 'Session Shop, a demo store whose cart lives in a server-side session';

const BY_VIEW: Record<string, string> = {
  catalog: `Coffee, tea, brewing gear and snacks at ${SHOP}: browse, search and fill a cart without an account.`,
  cart: 'Your cart at Session Shop: change quantities, remove products, see shipping and the total.',
  checkout: 'Check out at Session Shop: your address, the order summary and the total. No payment is taken.',
  login: 'Log in to Session Shop: your guest cart merges into the one saved with your account.',
  register: 'Create a Session Shop account: your cart is then saved with it, on every browser.',
  logout: 'Log out of Session Shop: your cart stays saved with your account for the next login.',
  account: 'Your Session Shop account: your saved cart and your orders.',
  orders: 'Your orders at Session Shop, newest first.',
  order: 'One order at Session Shop: what you ordered, the total and where it goes.',
  session: 'The session inspector: what the server keeps for this browser, and each change as it happens.',
  lab: 'Session labs: watch a lost update without a session lock, and a login make an old session ID worthless.',
};

export function describePage(view: string): string {
  return BY_VIEW[view] ?? `${SHOP}: coffee, tea, brewing gear and snacks.`;
}
