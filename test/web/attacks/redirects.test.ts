// Open redirects: returnTo payloads that a browser would read as another site must
// never leave this one, whether they come through preferences, the cart, login or
// the login form that carries them along.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { decode, visitor } from '../../helpers/shop.js';
import { attackShop, RAVI } from './fixture.js';

const { shop } = attackShop();

describe('open redirects through returnTo', () => {
  const SITE = 'http://shop.test';
  /** Same site as a browser sees it (WHATWG parsing: tabs and newlines dropped, `\` read as `/`). */
  function expectSameSite(location: unknown) {
    expect(location).toMatch(/^\/(?![/\\])/);
    expect(new URL(String(location), SITE).origin).toBe(SITE);
  }
  const PAYLOADS = [
    '//evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    'https:evil.com',
    'https://evil.com',
    '/%2F%2Fevil.com',
    '/\t/evil.com',
    '%09//evil.com',
    '/%0a/evil.com',
    'javascript:alert(1)',
    ' //evil.com',
    '///evil.com',
    '/\\/evil.com',
    '\t//evil.com',
    '/\r\n/evil.com',
    '//\tevil.com',
    '//evil.com/%2e%2e',
    '//shop.test@evil.com',
    'http://shop.test@evil.com',
    '/.//evil.com',
    'data:text/html,<script>alert(1)</script>',
    '%2F%2Fevil.com',
    '/%5C%5Cevil.com',
    '\u3002evil.com',
    '/\u0000//evil.com',
  ];

  for (const returnTo of PAYLOADS) {
    it(`keeps ${JSON.stringify(returnTo)} on this site (preferences, cart, login, login form)`, async () => {
      const { agent, csrf } = await visitor(shop());
      const prefs = await agent.post('/preferences').type('form').send({ theme: 'dark', returnTo, _csrf: csrf });
      expect(prefs.status).toBe(303);
      expectSameSite(prefs.headers.location);
      const add = await agent.post('/cart/items').type('form').send({ productId: 'p-001', returnTo, _csrf: csrf });
      expect(add.status).toBe(303);
      expectSameSite(add.headers.location);
      const login = await agent
        .post('/login')
        .type('form')
        .send({ ...RAVI, returnTo, _csrf: csrf });
      expect(login.status).toBe(303);
      expectSameSite(login.headers.location);

      const form = await request(shop().app).get('/login').query({ returnTo }).expect(200);
      const carried = decode(/name="returnTo" value="([^"]*)"/.exec(form.text)?.[1] ?? '');
      if (carried !== '') expectSameSite(carried);
    });
  }
});
