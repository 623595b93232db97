// Odd quantities: numbers the parser might let through (huge, negative, fractional,
// non-ASCII digits, wrong types) must be refused, from JSON and forms, cart unchanged.
import { describe, expect, it } from 'vitest';
import { cartOf, decode, json } from '../../helpers/shop.js';
import { attackShop, snapshot } from './fixture.js';

const { shopperWithCart } = attackShop();

describe('odd quantities', () => {
  // [JSON text of the quantity, expected status]: a JSON string is also sent from a form.
  const ROWS: [string, number][] = [
    ['1e400', 422],
    ['"0x10"', 422],
    ['"٣"', 422],
    ['"１"', 422],
    ['-1', 422],
    ['"-1"', 422],
    ['1.5', 422],
    ['"1.0"', 422],
    ['"1 "', 422],
    ['" 1"', 422],
    ['"1\\n"', 422],
    ['"+1"', 422],
    ['"1e3"', 422],
    ['"1_000"', 422],
    ['"0b1"', 422],
    ['null', 422],
    ['true', 422],
    ['[]', 422],
    ['[1]', 422],
    ['{}', 422],
    ['""', 422],
    ['"NaN"', 422],
    ['"Infinity"', 422],
    ['Infinity', 400],
    ['NaN', 400],
    ['99999999999999999999999', 422],
    [`"${'9'.repeat(400)}"`, 422],
    [`${'9'.repeat(400)}`, 422],
    ['100001', 422],
  ];
  const asForm = (raw: string): string | undefined => {
    const value: unknown = JSON.parse(raw.startsWith('"') ? raw : 'null');
    return typeof value === 'string' ? value : undefined;
  };

  for (const [raw, status] of ROWS) {
    it(`refuses ${raw.length > 40 ? `${raw.slice(0, 12)}… (${raw.length} characters)` : raw} with ${status}, cart unchanged`, async () => {
      const { agent, csrf } = await shopperWithCart();
      const before = await snapshot(agent);
      const answers = [
        await agent.post('/cart/items').set(json).type('json').send(`{"productId":"p-002","quantity":${raw}}`),
        await agent.post('/cart/items/p-001').set(json).type('json').send(`{"quantity":${raw}}`),
      ];
      for (const res of answers) {
        expect(res.status).toBe(status);
        if (status === 422) expect(res.body.error).toMatch(/^quantity: /);
        if (status === 422) expect(res.body.issues[0].path).toBe('quantity');
      }
      const text = asForm(raw);
      if (text !== undefined) {
        for (const path of ['/cart/items', '/cart/items/p-001']) {
          const res = await agent.post(path).type('form').send({ productId: 'p-002', quantity: text, _csrf: csrf });
          expect(res.status).toBe(422);
          expect(decode(res.text)).toContain('quantity: ');
        }
      }
      expect(await snapshot(agent)).toEqual(before);
      expect((await cartOf(agent)).count).toBe(2);
    });
  }
});
