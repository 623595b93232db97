import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { decode, makeShop } from '../helpers/shop.js';

describe('GET /login', () => {
  it('lists the demo accounts with their passwords outside production', async () => {
    const shop = await makeShop({ env: { NODE_ENV: 'development' } });
    const page = decode((await request(shop.app).get('/login').expect(200)).text);
    expect(page).toContain('Demo accounts');
    expect(page).toContain('Username <code>ravi</code>, password <code>ravi-demo-pass</code>');
    expect(page).toContain('Username <code>alice</code>, password <code>alice-demo-pass</code>');
  });

  it('lists none in production', async () => {
    const shop = await makeShop({ env: { NODE_ENV: 'production' } });
    const page = (await request(shop.app).get('/login').expect(200)).text;
    expect(page).not.toContain('Demo accounts');
    expect(page).not.toContain('ravi-demo-pass');
  });

  it('lists none when the demo accounts were not created', async () => {
    const shop = await makeShop({ demoAccounts: false });
    expect((await request(shop.app).get('/login').expect(200)).text).not.toContain('Demo accounts');
  });

  it('asks for the username in a text input the browser can fill in', async () => {
    const shop = await makeShop();
    const page = (await request(shop.app).get('/login').expect(200)).text;
    expect(page).toMatch(/<input id="username" name="username" type="text"[^>]* autocomplete="username"/);
  });
});
