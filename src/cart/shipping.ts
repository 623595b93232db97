// Order totals in integer cents. Shipping is a flat rate, free above a threshold.
export const FREE_SHIPPING_FROM_CENTS = 5000;
export const SHIPPING_CENTS = 495;

export function shippingFor(subtotalCents: number): number {
  return subtotalCents === 0 || subtotalCents >= FREE_SHIPPING_FROM_CENTS ? 0 : SHIPPING_CENTS;
}

export function totalsFor(subtotalCents: number) {
  const shippingCents = shippingFor(subtotalCents);
  return { subtotalCents, shippingCents, totalCents: subtotalCents + shippingCents };
}
