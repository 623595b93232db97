// Path traversal: requests sent byte for byte that try to climb out of the static
// folder or reach dotfiles and data must be refused without showing the file.
import { describe, expect, it } from 'vitest';
import { attackShop } from './fixture.js';

const { rawGet } = attackShop();

describe('path traversal against the static files', () => {
  const PATHS = [
    '/css/../../package.json',
    '/%2e%2e/%2e%2e/package.json',
    '/css/..%2f..%2fpackage.json',
    '/images/..%5c..%5cpackage.json',
    '/.env',
    '/.git/config',
    '/.git/HEAD',
    '/data/shop.db',
    '/data/products.json',
    '/../package.json',
    '/css/%2e%2e/%2e%2e/package.json',
    '/css/.%2e/.%2e/package.json',
    '/css//../../package.json',
    '/css/..%252f..%252fpackage.json',
    '/css/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json',
    '/js/../../src/app.ts',
    '/css/shop.css%00.json',
    '/images/products/..%2f..%2f..%2f.git%2fconfig',
    '/favicon.svg/../package.json',
  ];
  const CONTENTS = ['"devDependencies"', '[core]', 'ref: refs/', 'SQLite format 3', '"priceCents"', 'createApp'];

  for (const path of PATHS) {
    it(`refuses ${path} without showing the file`, async () => {
      const res = await rawGet(path);
      expect([400, 403, 404]).toContain(res.status);
      for (const marker of CONTENTS) expect(res.text).not.toContain(marker);
    });
  }
});
