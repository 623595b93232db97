// What a shopper reads at checkout, word for word: the routes only pick one, so a lost
// number, a wrong plural or a changed separator shows here first.
import { describe, expect, it } from 'vitest';
import { orderMessages } from '../../src/orders/messages.js';

describe('stockChanged', () => {
  it('names each line the stock no longer covers: sold out, or how many are left', () => {
    expect(
      orderMessages.stockChanged([
        { name: 'Mug', available: 0 },
        { name: 'Tea', available: 2 },
      ]),
    ).toBe(
      'Some items changed while you were shopping: Mug is sold out; Tea: only 2 left. Your cart has been updated; nothing was ordered.',
    );
  });

  it('tells one line alone, with no separator', () => {
    expect(orderMessages.stockChanged([{ name: 'Tea', available: 1 }])).toBe(
      'Some items changed while you were shopping: Tea: only 1 left. Your cart has been updated; nothing was ordered.',
    );
  });
});

describe('correctTheForm', () => {
  it('asks to correct "this" for one problem and counts several', () => {
    expect(orderMessages.correctTheForm(1)).toBe('Please correct this to place your order');
    expect(orderMessages.correctTheForm(3)).toBe('Please correct these 3 things to place your order');
  });
});

describe('withdrawnLines', () => {
  it('says one product, or how many, are no longer sold', () => {
    expect(orderMessages.withdrawnLines(1)).toBe(
      'One product in your cart is no longer sold and not part of this order.',
    );
    expect(orderMessages.withdrawnLines(2)).toBe(
      '2 products in your cart are no longer sold and not part of this order.',
    );
  });
});
