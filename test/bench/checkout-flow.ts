// The checkout scenario's requests, repeated by every connection on its own guest
// session: add one p-001 → GET /checkout (JSON: the one-time checkoutToken) → POST
// /checkout with the token and contact fields (201, the order; the cart is emptied,
// so the next round adds again). The token travels through autocannon's
// per-connection context, which it clears at the start of every round.
import type { LoadRequest } from './load.js';
import { ACCEPT_JSON, CART_PRODUCTS, JSON_HEADERS, PROXY_HEADERS } from './shopper.js';

const CONTACT = {
  name: 'Bench Shopper',
  email: 'bench@example.com',
  address: '1 Load Street',
  city: 'Testville',
  postalCode: '12345',
  country: 'Benchland',
};

const TOKEN = 'checkoutToken';

function rememberToken(_status: number, body: string, context: object): void {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && TOKEN in parsed) Reflect.set(context, TOKEN, parsed[TOKEN]);
  } catch {
    // Not JSON (an error page): the POST goes out without a token and answers 4xx, which fails the run.
  }
}

function withToken(request: LoadRequest, context: object): LoadRequest {
  const token: unknown = Reflect.get(context, TOKEN);
  return { ...request, body: JSON.stringify({ ...CONTACT, checkoutToken: typeof token === 'string' ? token : '' }) };
}

export const checkoutCycle: LoadRequest[] = [
  {
    method: 'POST',
    path: '/cart/items',
    headers: { ...PROXY_HEADERS, ...JSON_HEADERS },
    body: JSON.stringify({ productId: CART_PRODUCTS[0], quantity: 1 }),
  },
  { method: 'GET', path: '/checkout', headers: { ...PROXY_HEADERS, ...ACCEPT_JSON }, onResponse: rememberToken },
  { method: 'POST', path: '/checkout', headers: { ...PROXY_HEADERS, ...JSON_HEADERS }, setupRequest: withToken },
];
