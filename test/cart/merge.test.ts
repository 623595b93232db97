import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Availability, Cart, CartLimits } from '../../src/cart/cart.js';
import { quantityOf } from '../../src/cart/cart.js';
import { type MergeReport, mergeCarts } from '../../src/cart/merge.js';
import { Catalog } from '../../src/catalog/catalog.js';
import { loadProducts } from '../../src/catalog/products.js';
import { describeMerge } from '../../src/web/views/merge-messages.js';

const limits: CartLimits = { maxPerLine: 10, maxLines: 4 };
// a, b, d, e: plenty; s: only 3 left; c: sold out; anything else: not sold.
const stock: Record<string, number> = { a: 40, b: 40, d: 40, e: 40, s: 3, c: 0 };
const availability: Availability = (id) => (id in stock ? { stock: stock[id] ?? 0 } : undefined);

const cart = (...lines: [string, number][]): Cart => ({
  lines: lines.map(([productId, quantity]) => ({ productId, quantity })),
});
const empty = cart();

describe('mergeCarts', () => {
  it('sums quantities when the guest and saved carts share a product', () => {
    const { cart: merged, report } = mergeCarts(cart(['a', 2]), cart(['a', 3]), limits, availability);
    expect(merged).toEqual(cart(['a', 5]));
    expect(report).toEqual({ added: [{ productId: 'a', quantity: 3 }], adjusted: [], dropped: [] });
  });

  it('adds guest products that the saved cart lacks, after the saved lines', () => {
    const { cart: merged, report } = mergeCarts(
      cart(['b', 1], ['a', 2]),
      cart(['d', 4], ['a', 1]),
      limits,
      availability,
    );
    expect(merged).toEqual(cart(['b', 1], ['a', 3], ['d', 4]));
    expect(report.added).toEqual([
      { productId: 'a', quantity: 1 },
      { productId: 'd', quantity: 4 },
    ]);
  });

  it('caps a summed line at the per-line maximum and reports it as line-limit', () => {
    const { cart: merged, report } = mergeCarts(cart(['a', 7]), cart(['a', 6]), limits, availability);
    expect(merged).toEqual(cart(['a', 10]));
    expect(report.adjusted).toEqual([{ productId: 'a', requested: 13, kept: 10, reason: 'line-limit' }]);
    expect(report.added).toEqual([]);
  });

  it('caps a summed line at the current stock and reports it as stock', () => {
    const { cart: merged, report } = mergeCarts(cart(['s', 2]), cart(['s', 2]), limits, availability);
    expect(merged).toEqual(cart(['s', 3]));
    expect(report.adjusted).toEqual([{ productId: 's', requested: 4, kept: 3, reason: 'stock' }]);
  });

  it('keeps a sum of exactly the cap, or exactly the stock, whole and reports it as added', () => {
    const atCap = mergeCarts(cart(['a', 6]), cart(['a', 4]), limits, availability);
    expect(atCap.cart).toEqual(cart(['a', 10]));
    expect(atCap.report).toEqual({ added: [{ productId: 'a', quantity: 4 }], adjusted: [], dropped: [] });
    const atStock = mergeCarts(cart(['s', 1]), cart(['s', 2]), limits, availability);
    expect(atStock.cart).toEqual(cart(['s', 3]));
    expect(atStock.report).toEqual({ added: [{ productId: 's', quantity: 2 }], adjusted: [], dropped: [] });
  });

  it('cuts a sum one over the cap, or one over the stock, by one', () => {
    expect(mergeCarts(cart(['a', 6]), cart(['a', 5]), limits, availability).report.adjusted).toEqual([
      { productId: 'a', requested: 11, kept: 10, reason: 'line-limit' },
    ]);
    expect(mergeCarts(cart(['s', 2]), cart(['s', 2]), limits, availability).report.adjusted).toEqual([
      { productId: 's', requested: 4, kept: 3, reason: 'stock' },
    ]);
  });

  it('reports nothing about a saved line the guest did not touch', () => {
    expect(mergeCarts(cart(['a', 2]), cart(['b', 1]), limits, availability).report).toEqual({
      added: [{ productId: 'b', quantity: 1 }],
      adjusted: [],
      dropped: [],
    });
  });

  it('reports a saved line that stock has since shrunk, even without guest items', () => {
    const { cart: merged, report } = mergeCarts(cart(['s', 5]), empty, limits, availability);
    expect(merged).toEqual(cart(['s', 3]));
    expect(report.adjusted).toEqual([{ productId: 's', requested: 5, kept: 3, reason: 'stock' }]);
  });

  it('drops a sold-out product from either cart, saying why', () => {
    const { cart: merged, report } = mergeCarts(cart(['c', 1]), cart(['a', 1], ['c', 2]), limits, availability);
    expect(merged).toEqual(cart(['a', 1]));
    expect(report.dropped).toEqual([{ productId: 'c', reason: 'out-of-stock' }]);
  });

  it('drops a product that is no longer sold, saying why', () => {
    const { cart: merged, report } = mergeCarts(cart(['gone', 1]), cart(['old', 2]), limits, availability);
    expect(merged).toEqual(empty);
    expect(report.dropped).toEqual([
      { productId: 'gone', reason: 'unavailable' },
      { productId: 'old', reason: 'unavailable' },
    ]);
  });

  it('keeps the saved lines first and drops guest products beyond the most lines allowed', () => {
    const saved = cart(['a', 1], ['b', 1], ['d', 1]);
    const guest = cart(['e', 2], ['s', 1]);
    const { cart: merged, report } = mergeCarts(saved, guest, limits, availability);
    expect(merged).toEqual(cart(['a', 1], ['b', 1], ['d', 1], ['e', 2]));
    expect(report.added).toEqual([{ productId: 'e', quantity: 2 }]);
    expect(report.dropped).toEqual([{ productId: 's', reason: 'cart-full' }]);
  });

  it('does not let dropped products take up a line', () => {
    const saved = cart(['c', 1], ['gone', 1], ['a', 1], ['b', 1], ['d', 1]);
    const { cart: merged } = mergeCarts(saved, cart(['e', 1]), limits, availability);
    expect(merged.lines.map((l) => l.productId)).toEqual(['a', 'b', 'd', 'e']);
  });

  it('leaves a valid saved cart as it is when the guest cart is empty', () => {
    const saved = cart(['a', 10], ['s', 3]);
    const result = mergeCarts(saved, empty, limits, availability);
    expect(result.cart).toEqual(saved);
    expect(result.report).toEqual({ added: [], adjusted: [], dropped: [] });
  });

  it('takes the guest cart as it is when nothing is saved', () => {
    const guest = cart(['a', 2], ['s', 1]);
    const { cart: merged, report } = mergeCarts(empty, guest, limits, availability);
    expect(merged).toEqual(guest);
    expect(report.added).toEqual([
      { productId: 'a', quantity: 2 },
      { productId: 's', quantity: 1 },
    ]);
  });

  it('treats a product listed twice in the saved cart as one line', () => {
    const { cart: merged, report } = mergeCarts(cart(['a', 2], ['a', 3]), cart(['a', 1]), limits, availability);
    expect(merged).toEqual(cart(['a', 6]));
    expect(report.added).toEqual([{ productId: 'a', quantity: 1 }]);
  });

  it('changes neither input', () => {
    const saved = cart(['a', 7], ['c', 1]);
    const guest = cart(['a', 6], ['b', 1]);
    const before = structuredClone({ saved, guest });
    mergeCarts(saved, guest, limits, availability);
    expect({ saved, guest }).toEqual(before);
  });
});

describe('describeMerge', () => {
  const catalog = new Catalog(loadProducts('data/products.json'));

  it('tells the shopper about every line of the report, by product name, warning of what was cut', () => {
    const report: MergeReport = {
      added: [{ productId: 'p-001', quantity: 3 }],
      adjusted: [
        { productId: 'p-002', requested: 12, kept: 10, reason: 'line-limit' },
        { productId: 'p-004', requested: 5, kept: 3, reason: 'stock' },
      ],
      dropped: [
        { productId: 'p-006', reason: 'out-of-stock' },
        { productId: 'p-999', reason: 'unavailable' },
        { productId: 'p-003', reason: 'cart-full' },
      ],
    };
    expect(describeMerge(report, catalog).map((m) => [m.kind, m.text])).toEqual([
      ['info', 'Added 3 × Ethiopia Yirgacheffe Beans 250 g from your guest cart.'],
      ['warning', 'Colombia Huila Beans 250 g: you wanted 12, your cart now has 10 (the most per order).'],
      ['warning', 'Sumatra Mandheling Dark Roast 500 g: you wanted 5, your cart now has 3 (all we have in stock).'],
      ['warning', 'Removed Kenya AA Nyeri Beans 250 g: it is sold out.'],
      ['warning', 'Removed product p-999: it is no longer sold.'],
      ['warning', 'Removed House Espresso Blend 1 kg: your cart is full.'],
    ]);
  });

  it('says nothing when nothing changed', () => {
    expect(describeMerge({ added: [], adjusted: [], dropped: [] }, catalog)).toEqual([]);
  });
});

// ---- properties -------------------------------------------------------------

const IDS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'];

/** A cart as the session or the database may hold it: distinct products, quantities ≥ 1 (maybe over today's limits). */
const cartArb = fc
  .uniqueArray(fc.record({ productId: fc.constantFrom(...IDS), quantity: fc.integer({ min: 1, max: 25 }) }), {
    selector: (l) => l.productId,
    maxLength: IDS.length,
  })
  .map((lines): Cart => ({ lines }));

/** Stock per product; a missing entry is a product that is no longer sold. */
const stockArb = fc.dictionary(fc.constantFrom(...IDS), fc.integer({ min: 0, max: 15 }));

const limitsArb = fc.record({ maxPerLine: fc.integer({ min: 1, max: 12 }), maxLines: fc.integer({ min: 1, max: 8 }) });

const availabilityOf =
  (levels: Record<string, number>): Availability =>
  (id) =>
    id in levels ? { stock: levels[id] ?? 0 } : undefined;

const scenario = fc.record({ saved: cartArb, guest: cartArb, levels: stockArb, limits: limitsArb });

const productsIn = (...carts: Cart[]) => new Set(carts.flatMap((c) => c.lines.map((l) => l.productId)));
const reported = (report: MergeReport, productId: string) => ({
  added: report.added.filter((a) => a.productId === productId).length,
  adjusted: report.adjusted.filter((a) => a.productId === productId).length,
  dropped: report.dropped.filter((d) => d.productId === productId).length,
});

describe('mergeCarts (properties)', () => {
  it('never puts a line over its cap or its stock, nor a sold-out or unknown product in the cart', () => {
    fc.assert(
      fc.property(scenario, ({ saved, guest, levels, limits }) => {
        const { cart: merged } = mergeCarts(saved, guest, limits, availabilityOf(levels));
        for (const line of merged.lines) {
          const left = levels[line.productId];
          expect(left).toBeDefined();
          expect(line.quantity).toBeGreaterThanOrEqual(1);
          expect(line.quantity).toBeLessThanOrEqual(Math.min(limits.maxPerLine, left ?? 0));
        }
      }),
    );
  });

  it('keeps at most maxLines lines, each product once', () => {
    fc.assert(
      fc.property(scenario, ({ saved, guest, levels, limits }) => {
        const { cart: merged } = mergeCarts(saved, guest, limits, availabilityOf(levels));
        expect(merged.lines.length).toBeLessThanOrEqual(limits.maxLines);
        expect(productsIn(merged).size).toBe(merged.lines.length);
      }),
    );
  });

  it('loses no product unless it is reported as dropped', () => {
    fc.assert(
      fc.property(scenario, ({ saved, guest, levels, limits }) => {
        const { cart: merged, report } = mergeCarts(saved, guest, limits, availabilityOf(levels));
        for (const productId of productsIn(saved, guest)) {
          const inCart = quantityOf(merged, productId) > 0;
          const dropped = reported(report, productId).dropped === 1;
          expect(inCart !== dropped, `${productId}: in the cart xor dropped`).toBe(true);
        }
        // Nothing appears that neither cart held.
        for (const productId of productsIn(merged)) expect(productsIn(saved, guest).has(productId)).toBe(true);
      }),
    );
  });

  it('reports every guest product exactly once: added, adjusted or dropped', () => {
    fc.assert(
      fc.property(scenario, ({ saved, guest, levels, limits }) => {
        const { report } = mergeCarts(saved, guest, limits, availabilityOf(levels));
        for (const { productId, quantity } of guest.lines) {
          const r = reported(report, productId);
          expect(r.added + r.adjusted + r.dropped, productId).toBe(1);
          if (r.added === 1) expect(report.added.find((a) => a.productId === productId)?.quantity).toBe(quantity);
        }
      }),
    );
  });

  it('sums the quantities of a product and keeps that sum unless it reports the cut', () => {
    fc.assert(
      fc.property(scenario, ({ saved, guest, levels, limits }) => {
        const { cart: merged, report } = mergeCarts(saved, guest, limits, availabilityOf(levels));
        for (const productId of productsIn(saved, guest)) {
          const requested = quantityOf(saved, productId) + quantityOf(guest, productId);
          const kept = quantityOf(merged, productId);
          if (kept === 0) continue; // dropped: covered above
          const left = levels[productId] ?? 0;
          expect(kept).toBe(Math.min(requested, limits.maxPerLine, left));
          const adjustment = report.adjusted.find((a) => a.productId === productId);
          if (kept < requested) expect(adjustment).toMatchObject({ requested, kept });
          else expect(adjustment).toBeUndefined();
        }
      }),
    );
  });

  it('is the identity for a valid saved cart and an empty guest cart', () => {
    const valid = scenario.map(({ saved, levels, limits }) => {
      // Make every saved line valid today: in stock, within its cap, within maxLines.
      const lines = saved.lines.slice(0, limits.maxLines).map((l) => ({
        productId: l.productId,
        quantity: Math.min(l.quantity, limits.maxPerLine),
      }));
      const inStock = { ...levels };
      for (const l of lines) inStock[l.productId] = Math.max(inStock[l.productId] ?? 0, l.quantity);
      return { saved: { lines }, levels: inStock, limits };
    });
    fc.assert(
      fc.property(valid, ({ saved, levels, limits }) => {
        const result = mergeCarts(saved, { lines: [] }, limits, availabilityOf(levels));
        expect(result.cart).toEqual(saved);
        expect(result.report).toEqual({ added: [], adjusted: [], dropped: [] });
      }),
    );
  });
});
