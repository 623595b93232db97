// Markup and XSS: payloads echoed back in search, category, 404, login, register,
// checkout and the returnTo of the forms must only ever be shown escaped.
import { describe, expect, it } from 'vitest';
import { contact, decode } from '../../helpers/shop.js';
import { attackShop } from './fixture.js';

const { shopperWithCart } = attackShop();

describe('markup in everything that is shown back', () => {
  const PAYLOADS = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    'javascript:alert(1)',
    '" autofocus onfocus="alert(1)',
    '</textarea><script>alert(1)</script>',
    '<a href="javascript:alert(1)">x</a>',
    "{{constructor.constructor('alert(1)')()}}",
    '<ScRiPt>alert`1`</sCrIpT>',
  ];
  /** Nothing the payload could have added: no raw markup, no handler, no javascript: URL, no script of ours. */
  function expectInert(html: string, payload: string, echoed = true) {
    if (/[<>"'`]/.test(payload)) expect(html).not.toContain(payload);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i);
    expect(html).not.toMatch(/<script(?![^>]*src="\/js\/shop\.js")/i);
    if (echoed) expect(decode(html)).toContain(payload); // shown, escaped: the escaping is what held
  }

  for (const payload of PAYLOADS) {
    it(`shows ${JSON.stringify(payload)} only escaped, wherever it is echoed`, async () => {
      const { agent, csrf } = await shopperWithCart();
      expectInert((await agent.get('/').query({ q: payload }).expect(200)).text, payload);
      // An unknown category is a 404 naming it; a longer one is refused for its length, not shown.
      const category = await agent
        .get('/')
        .query({ category: payload })
        .expect(payload.length <= 40 ? 404 : 422);
      expectInert(category.text, payload, payload.length <= 40);
      expectInert((await agent.get(`/nowhere/${encodeURIComponent(payload)}`).expect(404)).text, payload, false);
      const login = { username: payload, password: 'wrong password', _csrf: csrf };
      expectInert((await agent.post('/login').type('form').send(login).expect(401)).text, payload);
      const register = { username: payload, password: 'short', _csrf: csrf };
      expectInert((await agent.post('/register').type('form').send(register).expect(422)).text, payload);
      const details = { ...Object.fromEntries(Object.keys(contact).map((k) => [k, payload])), _csrf: csrf };
      await agent.post('/checkout').type('form').send(details).expect(303); // shown by the GET it leads to
      expectInert((await agent.get('/checkout').expect(200)).text, payload);
      for (const form of ['/login', '/register']) {
        const page = await agent
          .get(form)
          .query({ returnTo: `/${payload}` })
          .expect(200);
        expectInert(page.text, `/${payload}`);
      }
    });
  }
});
