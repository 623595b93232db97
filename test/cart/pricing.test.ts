import { describe, expect, it } from 'vitest';
import type { Cart } from '../../src/cart/cart.js';
import { type PricedProduct, priceCart } from '../../src/cart/pricing.js';
import { SHIPPING_CENTS } from '../../src/cart/shipping.js';

const product = (id: string, priceCents: number): PricedProduct => ({
  id,
  slug: `slug-${id}`,
  name: `Product ${id}`,
  priceCents,
  image: `/images/${id}.svg`,
});
const catalog = new Map(
  [product('a', 1450), product('b', 2820), product('c', 2500), product('d', 4999)].map((p) => [p.id, p]),
);
const find = (id: string) => catalog.get(id);
const cart = (...pairs: [string, number][]): Cart => ({
  lines: pairs.map(([productId, quantity]) => ({ productId, quantity })),
});
const summary = (c: Cart) => {
  const { lines, ...rest } = priceCart(c, find);
  return { lineCount: lines.length, ...rest };
};

describe('priceCart', () => {
  it('prices each line from the catalog', () => {
    expect(priceCart(cart(['a', 2]), find).lines).toEqual([
      {
        productId: 'a',
        slug: 'slug-a',
        name: 'Product a',
        image: '/images/a.svg',
        quantity: 2,
        unitPriceCents: 1450,
        lineTotalCents: 2900,
      },
    ]);
  });

  it('adds the flat shipping below the free-shipping threshold', () => {
    expect(summary(cart(['a', 2]))).toEqual({
      lineCount: 1,
      count: 2,
      subtotalCents: 2900,
      shippingCents: SHIPPING_CENTS,
      totalCents: 2900 + SHIPPING_CENTS,
    });
  });

  // The shopper's report: $56.40 of goods showed $4.95 shipping and a $46.85 total.
  it('ships for free from the threshold on, so the total is the subtotal', () => {
    expect(summary(cart(['b', 2]))).toEqual({
      lineCount: 1,
      count: 2,
      subtotalCents: 5640,
      shippingCents: 0,
      totalCents: 5640,
    });
  });

  it('ships for free at exactly $50.00 of goods, and charges shipping one cent below', () => {
    expect(priceCart(cart(['c', 2]), find)).toMatchObject({ subtotalCents: 5000, shippingCents: 0, totalCents: 5000 });
    expect(priceCart(cart(['d', 1]), find)).toMatchObject({
      subtotalCents: 4999,
      shippingCents: 495,
      totalCents: 5494,
    });
  });

  it('totals an empty cart as zero, shipping included', () => {
    expect(summary(cart())).toEqual({ lineCount: 0, count: 0, subtotalCents: 0, shippingCents: 0, totalCents: 0 });
  });

  it('leaves out a line whose product has left the catalog, from the count too', () => {
    expect(summary(cart(['gone', 2], ['a', 1]))).toEqual({
      lineCount: 1,
      count: 1,
      subtotalCents: 1450,
      shippingCents: SHIPPING_CENTS,
      totalCents: 1450 + SHIPPING_CENTS,
    });
    expect(summary(cart(['gone', 2]))).toEqual({
      lineCount: 0,
      count: 0,
      subtotalCents: 0,
      shippingCents: 0,
      totalCents: 0,
    });
  });

  it('never totals less than the subtotal, and always subtotal plus shipping', () => {
    for (let a = 0; a <= 10; a++) {
      for (let b = 0; b <= 3; b++) {
        const s = priceCart(cart(['a', a], ['b', b]), find);
        expect(s.totalCents).toBe(s.subtotalCents + s.shippingCents);
        expect(s.totalCents).toBeGreaterThanOrEqual(s.subtotalCents);
        expect([0, SHIPPING_CENTS]).toContain(s.shippingCents);
      }
    }
  });
});
