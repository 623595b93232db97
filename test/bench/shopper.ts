// Sessions for the load scenarios, made the way a shopper makes them: a first
// request hands out the cookie, JSON posts fill the cart. Requests say they came
// through the TLS proxy production sits behind; without that the store (secure
// cookies, trust proxy) would never send a cookie and every request would be new.

export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' } as const;
export const ACCEPT_JSON = { accept: 'application/json' } as const;
export const JSON_HEADERS = { ...ACCEPT_JSON, 'content-type': 'application/json' } as const;

/** The products every bench cart holds, one of each; p-001 is the line the POST scenarios change. */
export const CART_PRODUCTS = ['p-001', 'p-002', 'p-003'] as const;

/** A new session: GET `path` with no cookie, return the `name=value` the server set. */
export async function newSession(baseUrl: string, path: string): Promise<string> {
  const res = await fetch(baseUrl + path, { headers: { ...PROXY_HEADERS, ...ACCEPT_JSON } });
  await res.arrayBuffer();
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
  if (!res.ok || cookie === undefined) throw new Error(`GET ${path} answered ${res.status} without a session cookie`);
  return cookie;
}

/** Puts one of each product (CART_PRODUCTS unless told) in the session's cart, then checks the store sees all of them. */
export async function fillCart(
  baseUrl: string,
  cookie: string,
  productIds: readonly string[] = CART_PRODUCTS,
): Promise<void> {
  const headers = { ...PROXY_HEADERS, ...JSON_HEADERS, cookie };
  for (const productId of productIds) {
    const res = await fetch(`${baseUrl}/cart/items`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ productId, quantity: 1 }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST /cart/items ${productId} answered ${res.status}: ${text}`);
  }
  const res = await fetch(`${baseUrl}/cart`, { headers });
  const count = cartCount(await res.json());
  if (count !== productIds.length) throw new Error(`the cart holds ${count} items, expected ${productIds.length}`);
}

/** `count` sessions made in parallel, each with a filled cart when `withCart`. */
export async function newSessions(baseUrl: string, path: string, count: number, withCart: boolean): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const cookie = await newSession(baseUrl, path);
      if (withCart) await fillCart(baseUrl, cookie);
      return cookie;
    }),
  );
}

function cartCount(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null || !('cart' in body)) return undefined;
  const cart = body.cart;
  if (typeof cart !== 'object' || cart === null || !('count' in cart)) return undefined;
  return typeof cart.count === 'number' ? cart.count : undefined;
}
