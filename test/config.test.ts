import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const long = 'a'.repeat(32);

describe('loadConfig', () => {
  it('needs no variables in development and makes a random secret', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.session.secretGenerated).toBe(true);
    expect(config.session.secrets[0]).toHaveLength(64);
    expect(config.session.inspector).toBe(true);
  });

  it('refuses to start in production without a secret, or with a short one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: `${long},short` })).toThrow(/at least 32/);
  });

  it('reads a comma-separated list of secrets for rotation, first one first', () => {
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: `new${long}, old${long}` });
    expect(config.session.secrets).toEqual([`new${long}`, `old${long}`]);
    expect(config.session.secureCookie).toBe(true);
    expect(config.session.inspector).toBe(false);
    expect(config.trustProxy).toBeUndefined();
  });

  it('trusts a proxy only when TRUST_PROXY names one: a hop count, a list of addresses, or loopback', () => {
    const prod = { NODE_ENV: 'production', SESSION_SECRET: long };
    expect(loadConfig({ ...prod, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...prod, TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
    expect(loadConfig({ ...prod, TRUST_PROXY: '10.0.0.5, 10.0.0.6' }).trustProxy).toBe('10.0.0.5, 10.0.0.6');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ CART_MAX_PER_LINE: '0' })).toThrow(/CART_MAX_PER_LINE/);
  });
});
