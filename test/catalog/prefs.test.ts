// The one check for shopper preferences, at both edges they cross: the preferences
// form (strings from a form post) and the JSON saved with an account.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFS, prefsSchema } from '../../src/catalog/prefs.js';

describe('prefsSchema', () => {
  it('takes any subset, none at all included', () => {
    expect(prefsSchema.parse({})).toEqual({});
    expect(prefsSchema.parse({ theme: 'dark' })).toEqual({ theme: 'dark' });
  });

  it('reads a page size posted as text as a number', () => {
    expect(prefsSchema.parse({ pageSize: '24' })).toEqual({ pageSize: 24 });
  });

  it.each([
    [{ pageSize: '7' }, 'pageSize'],
    [{ pageSize: 'lots' }, 'pageSize'],
    [{ sort: 'random' }, 'sort'],
    [{ view: 'table' }, 'view'],
    [{ theme: 'neon' }, 'theme'],
  ])('refuses %o, naming %s', (input, field) => {
    const result = prefsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });

  it('accepts the defaults it is the check for', () => {
    expect(prefsSchema.parse(DEFAULT_PREFS)).toEqual(DEFAULT_PREFS);
  });
});
