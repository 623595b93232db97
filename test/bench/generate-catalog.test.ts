import { describe, expect, it } from 'vitest';
import { benchUrls } from './catalog-urls.js';
import { generateCatalog } from './generate-catalog.js';

describe('generateCatalog', () => {
  it('writes the same valid catalog for the same size, in the shop categories', () => {
    const first = generateCatalog(500);
    expect(generateCatalog(500)).toEqual(first);
    expect(first).toHaveLength(500);
    expect(new Set(first.map((p) => p.slug)).size).toBe(500);
    expect(new Set(first.map((p) => p.category))).toEqual(new Set(['coffee', 'tea', 'brewing', 'mugs', 'snacks']));
  });
});

describe('benchUrls', () => {
  it('asks 160 distinct URLs: 64 searches, 48 category pages, 48 deep pages', () => {
    const urls = benchUrls();
    expect(new Set(urls.map((u) => u.path)).size).toBe(160);
    const count = (kind: string) => urls.filter((u) => u.kind === kind).length;
    expect([count('search'), count('category'), count('deep')]).toEqual([64, 48, 48]);
  });
});
