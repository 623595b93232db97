// Order ids a shopper can read out, and the numbers they may type back.
import { describe, expect, it } from 'vitest';
import { idFromNumber, newOrderId, orderNumber } from '../../src/orders/order-number.js';

describe('newOrderId', () => {
  it('gives three groups of four of Crockford’s characters, a new one each time', () => {
    const ids = Array.from({ length: 200 }, () => newOrderId());
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(new Set(ids).size).toBe(200);
  });
});

describe('orderNumber', () => {
  it('puts "SS-" before a readable id', () => {
    expect(orderNumber('7KQ4-M2XD-9TRA')).toBe('SS-7KQ4-M2XD-9TRA');
  });

  it('keeps an older id as it is', () => {
    expect(orderNumber('3f2a9c1e-legacy')).toBe('3f2a9c1e-legacy');
  });
});

describe('idFromNumber', () => {
  it.each([
    ['SS-7KQ4-M2XD-9TRA', 'the number as shown'],
    ['7KQ4-M2XD-9TRA', 'the id alone'],
    ['ss-7kq4-m2xd-9tra', 'in lower case'],
    ['7kq4-m2xd-9tra', 'the id alone, in lower case'],
    ['  SS-7KQ4-M2XD-9TRA \n', 'with spaces around it'],
  ])('finds the id in %j (%s)', (typed) => {
    expect(idFromNumber(typed)).toBe('7KQ4-M2XD-9TRA');
  });

  it('hands back anything else as typed, for an older id to be looked up', () => {
    expect(idFromNumber('3f2a9c1e-legacy')).toBe('3f2a9c1e-legacy');
    expect(idFromNumber('7KQ4-M2XD-9TRA-SS')).toBe('7KQ4-M2XD-9TRA-SS');
  });
});
