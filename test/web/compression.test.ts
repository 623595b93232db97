// Answers are compressed for clients that accept it, and only for them.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { makeShop } from '../helpers/shop.js';

describe('compression', () => {
  it('gzips a page for a client that accepts gzip, and the page survives the trip', async () => {
    const shop = await makeShop();
    const res = await request(shop.app).get('/').set('accept-encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.text).toContain('</html>'); // supertest inflates: the body is whole
  });

  it('compresses the stylesheet too', async () => {
    const shop = await makeShop();
    const res = await request(shop.app).get('/css/shop.css').set('accept-encoding', 'br, gzip').expect(200);
    expect(['br', 'gzip']).toContain(res.headers['content-encoding']);
  });

  it('sends a page as it is to a client that accepts no encoding', async () => {
    const shop = await makeShop();
    const res = await request(shop.app).get('/').set('accept-encoding', '').expect(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
  });
});
