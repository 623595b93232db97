import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Availability, Cart } from '../../src/cart/cart.js';
import { quantityOf } from '../../src/cart/cart.js';
import { addItem, CartRefusal, removeItem, roomFor, setItem } from '../../src/cart/rules.js';

const limits = { maxPerLine: 10, maxLines: 3 };
const stock: Record<string, number> = { a: 40, b: 5, c: 0, d: 40, e: 40 };
const availability: Availability = (id) => (id in stock ? { stock: stock[id] ?? 0 } : undefined);
const ctx = { limits, availability };
const empty: Cart = { lines: [] };
const units = (cart: Cart) => cart.lines.reduce((sum, l) => sum + l.quantity, 0);

function refusal(fn: () => unknown): CartRefusal {
  try {
    fn();
  } catch (err) {
    if (err instanceof CartRefusal) return err;
    throw err;
  }
  throw new Error('expected a CartRefusal');
}

describe('addItem', () => {
  it('adds a new line', () => {
    expect(addItem(empty, 'a', 2, ctx)).toEqual({ lines: [{ productId: 'a', quantity: 2 }] });
  });

  it('adds onto an existing line instead of a second one', () => {
    const cart = addItem(addItem(empty, 'a', 2, ctx), 'a', 3, ctx);
    expect(cart.lines).toEqual([{ productId: 'a', quantity: 5 }]);
  });

  it('refuses an unknown product', () => {
    expect(refusal(() => addItem(empty, 'zzz', 1, ctx)).reason).toBe('unknown-product');
  });

  it('refuses a sold-out product', () => {
    expect(refusal(() => addItem(empty, 'c', 1, ctx)).reason).toBe('out-of-stock');
  });

  it('refuses more than the stock, saying how many are left', () => {
    const err = refusal(() => addItem(empty, 'b', 6, ctx));
    expect(err.reason).toBe('over-stock');
    expect(err.message).toContain('Only 5 left');
  });

  it('refuses going over the per-line cap, counting what is already in the cart', () => {
    const cart = addItem(empty, 'a', 8, ctx);
    expect(refusal(() => addItem(cart, 'a', 3, ctx)).reason).toBe('over-line-limit');
  });

  it('refuses a new product when the cart has the most lines allowed', () => {
    const full = { lines: ['a', 'b', 'd'].map((productId) => ({ productId, quantity: 1 })) };
    expect(refusal(() => addItem(full, 'e', 1, ctx)).reason).toBe('cart-full');
    expect(addItem(full, 'a', 1, ctx).lines).toHaveLength(3);
  });

  it('takes exactly the per-line cap and exactly the stock, and one more of neither', () => {
    expect(quantityOf(addItem(empty, 'a', 10, ctx), 'a')).toBe(10);
    expect(quantityOf(addItem(addItem(empty, 'a', 4, ctx), 'a', 6, ctx), 'a')).toBe(10);
    expect(refusal(() => addItem(empty, 'a', 11, ctx)).reason).toBe('over-line-limit');
    expect(quantityOf(addItem(empty, 'b', 5, ctx), 'b')).toBe(5);
    expect(refusal(() => addItem(addItem(empty, 'b', 5, ctx), 'b', 1, ctx)).reason).toBe('over-stock');
  });

  it('says how many are in the cart and how many more fit when it refuses', () => {
    expect(refusal(() => addItem(addItem(empty, 'a', 8, ctx), 'a', 3, ctx)).fit).toEqual({ inCart: 8, room: 2 });
    expect(refusal(() => addItem(addItem(empty, 'b', 4, ctx), 'b', 2, ctx)).fit).toEqual({ inCart: 4, room: 1 });
    expect(refusal(() => addItem(addItem(empty, 'b', 5, ctx), 'b', 1, ctx)).message).toBe('Only 5 left in stock');
    expect(refusal(() => addItem(empty, 'a', 11, ctx)).message).toBe('At most 10 of one product per order');
  });

  it('takes a new product while the cart has one line fewer than the most allowed', () => {
    const two = { lines: ['a', 'b'].map((productId) => ({ productId, quantity: 1 })) };
    expect(addItem(two, 'd', 1, ctx).lines).toHaveLength(3);
    const full = addItem(two, 'd', 1, ctx);
    expect(refusal(() => addItem(full, 'e', 1, ctx)).message).toBe('Your cart already holds 3 different products');
  });

  it('does not change the cart it was given', () => {
    const cart: Cart = { lines: [{ productId: 'a', quantity: 1 }] };
    addItem(cart, 'a', 1, ctx);
    expect(cart.lines).toEqual([{ productId: 'a', quantity: 1 }]);
  });
});

describe('roomFor', () => {
  const lines = (...pairs: [string, number][]): Cart => ({
    lines: pairs.map(([productId, quantity]) => ({ productId, quantity })),
  });

  it('is the cap or the stock, whichever is lower, less what the cart holds', () => {
    expect(roomFor(lines(['a', 3]), 'a', 40, limits)).toEqual({
      inCart: 3,
      room: 7,
      full: false,
      boundBy: 'line-limit',
    });
    expect(roomFor(lines(['b', 3]), 'b', 5, limits)).toEqual({ inCart: 3, room: 2, full: false, boundBy: 'stock' });
  });

  it('is bound by the cap when the stock is exactly the cap, and by the stock one below', () => {
    expect(roomFor(empty, 'a', 10, limits)).toMatchObject({ room: 10, boundBy: 'line-limit' });
    expect(roomFor(empty, 'a', 9, limits)).toMatchObject({ room: 9, boundBy: 'stock' });
  });

  it('is never below none, when stock has shrunk under what the cart holds', () => {
    expect(roomFor(lines(['b', 7]), 'b', 5, limits)).toMatchObject({ inCart: 7, room: 0 });
  });

  it('is none for a new product once the cart has the most lines, and the line’s own for one in it', () => {
    const full = lines(['a', 1], ['b', 1], ['d', 1]);
    expect(roomFor(full, 'e', 40, limits)).toEqual({ inCart: 0, room: 0, full: true, boundBy: 'line-limit' });
    expect(roomFor(full, 'a', 40, limits)).toMatchObject({ inCart: 1, room: 9, full: false });
    expect(roomFor(lines(['a', 1], ['b', 1]), 'e', 40, limits)).toMatchObject({ room: 10, full: false });
  });
});

describe('setItem', () => {
  it('sets the quantity exactly', () => {
    const cart = setItem(addItem(empty, 'a', 2, ctx), 'a', 7, ctx);
    expect(quantityOf(cart, 'a')).toBe(7);
  });

  it('removes the line when set to 0', () => {
    expect(setItem(addItem(empty, 'a', 2, ctx), 'a', 0, ctx).lines).toEqual([]);
  });

  it('refuses a quantity over the cap or the stock', () => {
    expect(refusal(() => setItem(addItem(empty, 'a', 1, ctx), 'a', 11, ctx)).reason).toBe('over-line-limit');
    expect(refusal(() => setItem(addItem(empty, 'b', 1, ctx), 'b', 6, ctx)).reason).toBe('over-stock');
  });

  it('refuses a line that is not in the cart (a stale tab), which only adding may bring', () => {
    const cart = addItem(empty, 'a', 1, ctx);
    const refused = refusal(() => setItem(cart, 'd', 2, ctx));
    expect(refused.reason).toBe('not-in-cart');
    expect(refused.message).toBe('That item is no longer in your cart.');
  });

  it('refuses an id that names no product as unknown, not as a line removed since', () => {
    const refused = refusal(() => setItem(empty, 'zzz', 2, ctx));
    expect(refused.reason).toBe('unknown-product');
    expect(refused.message).toBe('No product with id "zzz"');
  });
});

describe('adding and setting agree', () => {
  const full: Cart = {
    lines: [
      { productId: 'a', quantity: 1 },
      { productId: 'b', quantity: 1 },
      { productId: 'd', quantity: 1 },
    ],
  };

  it('refuses a line that sold out on a full cart for the same reason either way', () => {
    const soldOutInside: Cart = { lines: [...full.lines.slice(0, 2), { productId: 'c', quantity: 1 }] };
    expect(refusal(() => addItem(soldOutInside, 'c', 1, ctx)).reason).toBe('out-of-stock');
    expect(refusal(() => setItem(soldOutInside, 'c', 2, ctx)).reason).toBe('out-of-stock');
  });

  it('gives the same answer for any line in the cart and any quantity, on a full cart or a small one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('a', 'c', 'e', 'x'),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        (id, n, isFull) => {
          // Setting acts on a line that is in the cart (a missing one is refused: not-in-cart).
          const others = isFull ? full.lines.filter((l) => l.productId !== id).slice(0, 2) : [];
          const cart: Cart = { lines: [...others, { productId: id, quantity: 1 }] };
          const outcome = (fn: () => Cart) => {
            try {
              return { cart: fn() };
            } catch (err) {
              if (!(err instanceof CartRefusal)) throw err;
              return { reason: err.reason, message: err.message };
            }
          };
          const start = quantityOf(cart, id);
          expect(outcome(() => addItem(cart, id, n, ctx))).toEqual(outcome(() => setItem(cart, id, start + n, ctx)));
        },
      ),
    );
  });

  it('tells how many of the product are already in the cart when the cap refuses', () => {
    const cart: Cart = { lines: [{ productId: 'a', quantity: 8 }] };
    const refused = refusal(() => addItem(cart, 'a', 3, ctx));
    expect(refused.reason).toBe('over-line-limit');
    expect(refused.fit).toEqual({ inCart: 8, room: 2 });
    expect(refusal(() => addItem({ lines: [{ productId: 'b', quantity: 4 }] }, 'b', 2, ctx)).fit).toEqual({
      inCart: 4,
      room: 1,
    });
  });
});

describe('removeItem', () => {
  it('removes only that product', () => {
    const cart = addItem(addItem(empty, 'a', 1, ctx), 'b', 1, ctx);
    expect(removeItem(cart, 'a').lines).toEqual([{ productId: 'b', quantity: 1 }]);
  });

  it('is a no-op for a product that is not in the cart', () => {
    const cart = addItem(empty, 'a', 1, ctx);
    expect(removeItem(cart, 'b')).toEqual(cart);
  });
});

describe('cart rules (properties)', () => {
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('add' as const),
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'x'),
      n: fc.integer({ min: 1, max: 15 }),
    }),
    fc.record({
      kind: fc.constant('set' as const),
      id: fc.constantFrom('a', 'b', 'd'),
      n: fc.integer({ min: 0, max: 15 }),
    }),
    fc.record({ kind: fc.constant('remove' as const), id: fc.constantFrom('a', 'b', 'd'), n: fc.constant(0) }),
  );

  it('never holds a line over its cap or stock, a duplicate line, or too many lines', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let cart: Cart = { lines: [] };
        for (const { kind, id, n } of ops) {
          try {
            if (kind === 'add') cart = addItem(cart, id, n, ctx);
            else if (kind === 'set') cart = setItem(cart, id, n, ctx);
            else cart = removeItem(cart, id);
          } catch (err) {
            if (!(err instanceof CartRefusal)) throw err;
          }
          const ids = cart.lines.map((l) => l.productId);
          expect(new Set(ids).size).toBe(ids.length);
          expect(cart.lines.length).toBeLessThanOrEqual(limits.maxLines);
          for (const line of cart.lines) {
            expect(line.quantity).toBeGreaterThan(0);
            expect(line.quantity).toBeLessThanOrEqual(Math.min(limits.maxPerLine, stock[line.productId] ?? 0));
          }
        }
      }),
    );
  });

  it('either adds exactly the quantity asked for or leaves the cart as it was', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('a', 'b', 'c', 'x'),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 9 }),
        (id, n, start) => {
          const cart: Cart =
            start > 0 && id !== 'c' && id !== 'x'
              ? { lines: [{ productId: id, quantity: Math.min(start, 5) }] }
              : empty;
          const before = structuredClone(cart);
          try {
            const next = addItem(cart, id, n, ctx);
            expect(units(next)).toBe(units(cart) + n);
            expect(quantityOf(next, id)).toBe(quantityOf(cart, id) + n);
          } catch (err) {
            expect(err).toBeInstanceOf(CartRefusal);
            // Refused: the cart it was given is untouched, and nothing was returned to store.
            expect(cart).toEqual(before);
          }
        },
      ),
    );
  });
});
