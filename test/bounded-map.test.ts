// BoundedMap (src/bounded-map.ts): the in-process caches' size bound.
import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../src/bounded-map.js';

/** What a map bounded to two entries holds after `entries` are set in turn (set chains, as Map's does). */
function afterSetting(...entries: [string, number][]): [string, number][] {
  const map = entries.reduce((m, [key, value]) => m.set(key, value), new BoundedMap<string, number>(2));
  return [...map];
}

describe('BoundedMap', () => {
  it('drops the oldest entry to make room for a new one', () => {
    expect(afterSetting(['a', 1], ['b', 2], ['c', 3])).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('replaces an existing key without dropping anything', () => {
    expect(afterSetting(['a', 1], ['b', 2], ['a', 10])).toEqual([
      ['a', 10],
      ['b', 2],
    ]);
  });
});
