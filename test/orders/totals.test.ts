import { describe, expect, it } from 'vitest';
import { FREE_SHIPPING_FROM_CENTS, SHIPPING_CENTS, shippingFor, totalsFor } from '../../src/orders/totals.js';

describe('shippingFor', () => {
  it('charges the flat rate below the free-shipping threshold', () => {
    expect(shippingFor(1)).toBe(SHIPPING_CENTS);
    expect(shippingFor(1450)).toBe(495);
    expect(shippingFor(FREE_SHIPPING_FROM_CENTS - 1)).toBe(495);
  });

  it('ships for free from the threshold on', () => {
    expect(FREE_SHIPPING_FROM_CENTS).toBe(5000);
    expect(shippingFor(5000)).toBe(0);
    expect(shippingFor(5001)).toBe(0);
    expect(shippingFor(1_000_000)).toBe(0);
  });

  it('charges nothing for nothing', () => {
    expect(shippingFor(0)).toBe(0);
  });
});

describe('totalsFor', () => {
  it('adds shipping to a subtotal below the threshold', () => {
    expect(totalsFor(4999)).toEqual({ subtotalCents: 4999, shippingCents: 495, totalCents: 5494 });
  });

  it('totals the subtotal alone from the threshold on', () => {
    expect(totalsFor(5000)).toEqual({ subtotalCents: 5000, shippingCents: 0, totalCents: 5000 });
  });

  it('totals an empty order as zero', () => {
    expect(totalsFor(0)).toEqual({ subtotalCents: 0, shippingCents: 0, totalCents: 0 });
  });

  it('keeps every amount in whole cents', () => {
    for (const subtotal of [1, 99, 1450, 4999, 5000, 123_457]) {
      const totals = totalsFor(subtotal);
      expect(Object.values(totals).every(Number.isInteger)).toBe(true);
      expect(totals.totalCents).toBe(totals.subtotalCents + totals.shippingCents);
    }
  });
});
