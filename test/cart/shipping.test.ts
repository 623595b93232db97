// The amounts are written out, not taken from the module's constants: a test that
// compared shippingFor() with SHIPPING_CENTS would follow any change to the rate.
import { describe, expect, it } from 'vitest';
import { shippingFor, totalsFor } from '../../src/cart/shipping.js';

describe('shippingFor', () => {
  it.each([
    [1, 495],
    [1450, 495],
    [4999, 495],
  ])('charges $4.95 on a subtotal of %i cents, below $50', (subtotal, shipping) => {
    expect(shippingFor(subtotal)).toBe(shipping);
  });

  it.each([5000, 5001, 1_000_000])('ships for free on a subtotal of %i cents, from $50 on', (subtotal) => {
    expect(shippingFor(subtotal)).toBe(0);
  });

  it('charges nothing for nothing', () => {
    expect(shippingFor(0)).toBe(0);
  });
});

describe('totalsFor', () => {
  it.each([
    [4999, 495, 5494],
    [5000, 0, 5000],
    [0, 0, 0],
    [1, 495, 496],
    [123_457, 0, 123_457],
  ])('totals a subtotal of %i cents with %i shipping as %i', (subtotalCents, shippingCents, totalCents) => {
    expect(totalsFor(subtotalCents)).toEqual({ subtotalCents, shippingCents, totalCents });
  });
});
