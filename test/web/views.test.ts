// formatMoney is written out by hand for speed: it must read exactly as the
// browser's own currency formatting would.
import { describe, expect, it } from 'vitest';
import { formatMoney, productName } from '../../src/web/views/views.js';

const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

describe('formatMoney', () => {
  it('reads like Intl.NumberFormat en-US USD for every amount a shop meets', () => {
    const amounts = [0, 1, 5, 9, 10, 99, 100, 101, 999, 1000, 1250, 99_999, 100_000, 123_456_789, 100_000_000_000];
    for (let cents = 0; cents < 300_000; cents += 7) amounts.push(cents);
    for (const cents of [...amounts, ...amounts.map((c) => -c).filter((c) => c !== 0)]) {
      expect(formatMoney(cents), String(cents)).toBe(intl.format(cents / 100));
    }
  });

  it('puts the thousands commas where people expect them', () => {
    expect(formatMoney(123_456_789)).toBe('$1,234,567.89');
    expect(formatMoney(-305)).toBe('-$3.05');
  });
});

describe('productName', () => {
  it('joins a number to the word after it with a no-break space, and nothing else', () => {
    expect(productName('Masala Chai Loose Leaf 150 g')).toBe('Masala Chai Loose Leaf 150\u00a0g');
    expect(productName('Gooseneck Pour-Over Kettle 1 L')).toBe('Gooseneck Pour-Over Kettle 1\u00a0L');
    expect(productName('Dark Chocolate Bar 70% 100 g')).toBe('Dark Chocolate Bar 70% 100\u00a0g');
    expect(productName('Terracotta Espresso Cups Set of 2')).toBe('Terracotta Espresso Cups Set of 2');
    expect(productName('Ceramic Cone Dripper V60')).toBe('Ceramic Cone Dripper V60');
  });
});
