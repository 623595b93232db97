// The shopper's texts, word for word: the routes and views only pick one, so a changed
// word, a lost number or the wrong branch of a plural shows here first.
import { describe, expect, it } from 'vitest';
import { cartMessages } from '../../src/cart/messages.js';

describe('refusals', () => {
  it('names the id that matches no product', () => {
    expect(cartMessages.unknownProduct('p-404')).toBe('No product with id "p-404"');
  });

  it('says how many different products a full cart holds', () => {
    expect(cartMessages.cartFull(20)).toBe('Your cart already holds 20 different products');
  });

  it('says the most of one product per order', () => {
    expect(cartMessages.overLineLimit(10)).toBe('At most 10 of one product per order');
  });

  it('says how many are left in stock', () => {
    expect(cartMessages.overStock(3)).toBe('Only 3 left in stock');
  });
});

describe('refusedBeside', () => {
  it('tells what the cart holds and how many more would fit', () => {
    expect(cartMessages.refusedBeside('Only 5 left in stock', 2, 3, 'Tea')).toBe(
      'Only 5 left in stock. You have 2 of Tea in your cart; you can add 3 more.',
    );
  });

  it('says no more can be added when there is no room', () => {
    expect(cartMessages.refusedBeside('At most 10 of one product per order', 10, 0, 'Tea')).toBe(
      'At most 10 of one product per order. You have 10 of Tea in your cart; you cannot add more.',
    );
  });

  it('offers the one unit left, not "cannot"', () => {
    expect(cartMessages.refusedBeside('Only 5 left in stock', 4, 1, 'Tea')).toBe(
      'Only 5 left in stock. You have 4 of Tea in your cart; you can add 1 more.',
    );
  });
});

describe('what a change did', () => {
  it('says how many of what were added', () => {
    expect(cartMessages.added(2, 'Green tea')).toBe('Added 2 × Green tea to your cart.');
  });

  it('has a sentence each for removed, updated and emptied', () => {
    expect([cartMessages.removed, cartMessages.updated, cartMessages.emptied]).toEqual([
      'Removed from your cart.',
      'Cart updated.',
      'Your cart is empty.',
    ]);
  });
});

describe('the quantity picker and the cart lines', () => {
  it('tells a full cart to make room first', () => {
    expect(cartMessages.pickerFull(20)).toBe(
      'Your cart holds 20 different products, the most it can: remove one to add this.',
    );
  });

  it('tells how many are in the cart and how many more fit', () => {
    expect(cartMessages.pickerRoom(4, 6)).toBe('You have 4 in your cart; you can add 6 more.');
  });

  it('tells a shopper at the most they can order', () => {
    expect(cartMessages.pickerAtMost(10)).toBe('You have 10 in your cart, the most you can order.');
  });

  it('says "Sold out" when none are left, and how many otherwise', () => {
    expect(cartMessages.shortage(0)).toBe('Sold out');
    expect(cartMessages.shortage(1)).toBe('Only 1 left');
    expect(cartMessages.shortage(7)).toBe('Only 7 left');
  });
});

describe('the login merge', () => {
  it('says what came from the guest cart', () => {
    expect(cartMessages.mergeAdded(3, 'Mug')).toBe('Added 3 × Mug from your guest cart.');
  });

  it('says a quantity was cut to the stock', () => {
    expect(cartMessages.mergeAdjusted('Mug', 12, 4, 'stock')).toBe(
      'Mug: you wanted 12, your cart now has 4 (all we have in stock).',
    );
  });

  it('says a quantity was cut to the per-order cap', () => {
    expect(cartMessages.mergeAdjusted('Mug', 12, 10, 'line-limit')).toBe(
      'Mug: you wanted 12, your cart now has 10 (the most per order).',
    );
  });

  it.each([
    ['unavailable', 'Removed Mug: it is no longer sold.'],
    ['out-of-stock', 'Removed Mug: it is sold out.'],
    ['cart-full', 'Removed Mug: your cart is full.'],
  ] as const)('says why a line was dropped (%s)', (reason, text) => {
    expect(cartMessages.mergeDropped('Mug', reason)).toBe(text);
  });
});
