// The login and register forms coming back after a refused post: every error listed
// with the field's label, what the shopper typed kept (never the password), a 4xx,
// and nobody logged in or registered.
import { beforeEach, describe, expect, it } from 'vitest';
import { decode, json, makeShop, postForm, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeEach(async () => {
  shop = await makeShop();
});

const errorOf = (html: string) => /<p class="flash flash--error" role="alert">([^<]*)<\/p>/.exec(decode(html))?.[1];

describe('POST /login: the form comes back', () => {
  it('lists every missing field with its label, keeping returnTo, with 422', async () => {
    const shopper = await visitor(shop);
    const res = await postForm(shopper, '/login', { returnTo: '/cart' }).expect(422);
    expect(errorOf(res.text)).toBe('Username: enter your username. Password: enter your password.');
    expect(res.text).toContain('<input type="hidden" name="returnTo" value="/cart">');
    await shopper.agent.get('/account').set(json).expect(401);
  });

  it('keeps the username typed, never the password', async () => {
    const shopper = await visitor(shop);
    const res = await postForm(shopper, '/login', { username: 'ravi', password: '' }).expect(422);
    expect(errorOf(res.text)).toBe('Password: enter your password.');
    expect(res.text).toContain('value="ravi"');
  });

  it('answers a JSON caller 422 naming the first field, and every field in the issues', async () => {
    const { agent } = await visitor(shop);
    const res = await agent.post('/login').set(json).send({}).expect(422);
    expect(res.body).toEqual({
      error: 'username: enter your username',
      issues: [
        { path: 'username', message: 'enter your username' },
        { path: 'password', message: 'enter your password' },
      ],
    });
  });
});

describe('POST /register: the form comes back', () => {
  it('lists a bad username and a short password together, keeping the username, with 422', async () => {
    const shopper = await visitor(shop);
    const res = await postForm(shopper, '/register', { username: 'a b', password: 'short' }).expect(422);
    expect(errorOf(res.text)).toBe(
      'Username: must be 3–32 letters, digits, dots, dashes or underscores. Password: must be at least 8 characters.',
    );
    expect(res.text).toContain('value="a b"');
    expect(res.text).not.toContain('short');
    expect(await shop.services.users.find('a b')).toBeUndefined();
    await shopper.agent.get('/account').set(json).expect(401);
  });

  it('keeps the name typed when it is taken, with 409', async () => {
    const shopper = await visitor(shop);
    const res = await postForm(shopper, '/register', {
      username: 'Alice',
      password: 'long-enough',
      returnTo: '/cart',
    }).expect(409);
    expect(errorOf(res.text)).toContain('that name is taken');
    expect(res.text).toContain('value="Alice"');
    expect(res.text).toContain('<input type="hidden" name="returnTo" value="/cart">');
  });
});
