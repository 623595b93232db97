// Prototype pollution: __proto__, constructor.prototype and Object-method keys in
// JSON, forms, queries and paths must pollute nothing and leave the session as it was.
import { describe, expect, it } from 'vitest';
import { contact, json } from '../../helpers/shop.js';
import { attackShop, RAVI, snapshot } from './fixture.js';

const { shopperWithCart } = attackShop();

describe('prototype pollution', () => {
  // [what, status, "METHOD path", body]: a body opening with `{` is JSON, any other a form.
  const ROWS: [string, number, string, string?][] = [
    ['JSON __proto__ with a product', 422, 'POST /cart/items', '{"__proto__":{"polluted":1,"productId":"p-002"}}'],
    ['JSON constructor.prototype', 422, 'POST /cart/items', '{"constructor":{"prototype":{"polluted":1}}}'],
    ['JSON prototype', 422, 'POST /cart/items', '{"prototype":{"polluted":1,"productId":"p-002"}}'],
    ['JSON __proto__ with a quantity', 422, 'POST /cart/items/p-001', '{"__proto__":{"quantity":7}}'],
    ['JSON keys named like Object methods', 422, 'POST /cart/items', '{"hasOwnProperty":1,"toString":1,"valueOf":1}'],
    ['JSON __proto__ with a theme', 200, 'POST /preferences', '{"__proto__":{"theme":"dark","polluted":1}}'],
    ['JSON constructor.prototype theme', 200, 'POST /preferences', '{"constructor":{"prototype":{"theme":"dark"}}}'],
    ['JSON __proto__ with credentials', 422, 'POST /login', `{"__proto__":${JSON.stringify(RAVI)}}`],
    ['JSON __proto__ with checkout details', 422, 'POST /checkout', `{"__proto__":${JSON.stringify(contact)}}`],
    ['form __proto__[x]', 422, 'POST /cart/items', '__proto__[polluted]=1&__proto__[productId]=p-002'],
    ['form constructor[prototype][x]', 422, 'POST /cart/items', 'constructor[prototype][polluted]=1'],
    ['form __proto__ twice (an array)', 422, 'POST /cart/items', '__proto__=a&__proto__=b'],
    ['form keys named like Object methods', 422, 'POST /cart/items', 'hasOwnProperty=1&toString=1&valueOf=1'],
    ['form __proto__[theme]', 303, 'POST /preferences', '__proto__[theme]=dark&prototype[theme]=dark'],
    ['form __proto__[username]', 422, 'POST /login', '__proto__[username]=ravi&__proto__[password]=ravi-demo-pass'],
    ['query __proto__[x]', 200, 'GET /?__proto__[polluted]=1&constructor[prototype][polluted]=1'],
    ['query __proto__ as a plain key', 200, 'GET /?__proto__=1&constructor=1&hasOwnProperty=1'],
    ['query category=__proto__', 404, 'GET /?category=__proto__'],
    ['query category=constructor', 404, 'GET /?category=constructor'],
    ['query sort=constructor', 422, 'GET /?sort=constructor'],
    ['product slug __proto__', 404, 'GET /products/__proto__'],
    ['product slug constructor', 404, 'GET /products/constructor'],
    ['order id __proto__', 404, 'GET /orders/__proto__'],
    ['product id __proto__', 422, 'POST /cart/items', '{"productId":"__proto__"}'],
    ['product id constructor', 422, 'POST /cart/items', '{"productId":"constructor"}'],
    ['product id toString in the path', 422, 'POST /cart/items/toString', '{"quantity":1}'],
  ];

  for (const [what, status, route, body] of ROWS) {
    it(`answers ${status} to ${what}, polluting nothing`, async () => {
      const { agent, csrf } = await shopperWithCart();
      const before = await snapshot(agent);
      const path = route.replace(/^\w+ /, '');
      const send = () => {
        if (body === undefined) return agent.get(path);
        if (body.startsWith('{')) return agent.post(path).set(json).type('json').send(body);
        return agent.post(path).type('form').send(`${body}&_csrf=${csrf}`);
      };
      expect((await send()).status).toBe(status);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.keys(Object.prototype)).toEqual([]);
      const after = await snapshot(agent);
      expect(after.data.cart).toEqual(before.data.cart);
      expect(after.data.user).toBeUndefined();
      expect(after.data.prefs?.theme).toBeUndefined();
      if (status >= 400) expect(after).toEqual(before);
    });
  }
});
