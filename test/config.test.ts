import { readFileSync } from 'node:fs';
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

describe('loadConfig: switches', () => {
  it('reads SESSION_INSPECTOR as a yes/no, on by default outside production', () => {
    expect(loadConfig({ SESSION_INSPECTOR: 'yes' }).session.inspector).toBe(true);
    expect(loadConfig({ SESSION_INSPECTOR: 'off' }).session.inspector).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: long, SESSION_INSPECTOR: 'on' }).session.inspector,
    ).toBe(true);
  });

  it('refuses a SESSION_INSPECTOR that is not a yes or a no, naming the variable', () => {
    expect(() => loadConfig({ SESSION_INSPECTOR: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ SESSION_INSPECTOR: 'maybe' })).toThrow(/^Invalid environment:\n {2}SESSION_INSPECTOR: /);
  });

  it('saves uninitialized sessions unless SESSION_SAVE_UNINITIALIZED says otherwise', () => {
    expect(loadConfig({}).session.saveUninitialized).toBe(true);
    expect(loadConfig({ SESSION_SAVE_UNINITIALIZED: 'false' }).session.saveUninitialized).toBe(false);
    expect(() => loadConfig({ SESSION_SAVE_UNINITIALIZED: 'sometimes' })).toThrow(/SESSION_SAVE_UNINITIALIZED/);
  });

  it('shows the guided tour in development only, and only with the inspector', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).session.tour).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', SESSION_INSPECTOR: 'no' }).session.tour).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).session.tour).toBe(false);
  });
});

describe('loadConfig: named settings', () => {
  it('reads LOG_FORMAT as pretty, json or auto (the default), naming it when it is anything else', () => {
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'colour' })).toThrow(/^Invalid environment:\n {2}LOG_FORMAT: /);
  });

  it('slides the idle login timeout in steps of a tenth of it, at most a minute, unless told', () => {
    expect(loadConfig({}).session.authSeenGranularityMs).toBe(60_000);
    expect(loadConfig({ AUTH_IDLE_MS: '100000' }).session.authSeenGranularityMs).toBe(10_000);
    expect(loadConfig({ AUTH_SEEN_GRANULARITY_MS: '5000' }).session.authSeenGranularityMs).toBe(5000);
  });

  it('keeps 20 timeline events unless SESSION_TIMELINE_LENGTH says otherwise', () => {
    expect(loadConfig({}).session.timelineLength).toBe(20);
    expect(loadConfig({ SESSION_TIMELINE_LENGTH: '5' }).session.timelineLength).toBe(5);
    expect(() => loadConfig({ SESSION_TIMELINE_LENGTH: '0' })).toThrow(/SESSION_TIMELINE_LENGTH/);
  });

  it('has the lock, pool and shutdown settings in one place', () => {
    const config = loadConfig({
      LOCK_WAIT_MS: '500',
      LOCK_LEASE_MS: '900',
      SESSION_MAX_WAITING: '4',
      DATABASE_POOL_MAX: '3',
      SHUTDOWN_DELAY_MS: '0',
      SHUTDOWN_DRAIN_MS: '700',
    });
    expect(config.lock).toEqual({ waitMs: 500, maxWaiting: 4, leaseMs: 900 });
    expect(config.databasePoolMax).toBe(3);
    expect(config.timeouts.shutdownDrainMs).toBe(700);
    expect(config.timeouts.shutdownDelayMs).toBe(0);
  });

  it('serves on after SIGTERM in production for at least fall × inter of deploy/haproxy.cfg', () => {
    const haproxy = readFileSync('deploy/haproxy.cfg', 'utf8');
    const [, inter = '', fall = ''] = /default-server .*\binter (\d+)s fall (\d+)/.exec(haproxy) ?? [];
    const noticedMs = Number(fall) * Number(inter) * 1000;
    expect(noticedMs).toBeGreaterThan(0);
    const production = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: long });
    expect(production.timeouts.shutdownDelayMs).toBeGreaterThanOrEqual(noticedMs);
  });

  it('stops at once on SIGTERM in development, where tsx watch restarts the server on every change', () => {
    expect(loadConfig({}).timeouts.shutdownDelayMs).toBe(0);
  });
});

describe('loadConfig: TRUST_PROXY', () => {
  it.each([
    [undefined, undefined],
    ['0', 0],
    ['2', 2],
    ['false', false],
    ['loopback', 'loopback'],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('reads %s as %s', (raw, expected) => {
    const env = raw === undefined ? {} : { TRUST_PROXY: raw };
    expect(loadConfig(env).trustProxy).toBe(expected);
  });
});

describe('loadConfig: Redis through Sentinel', () => {
  const sentinels = { REDIS_SENTINELS: '10.0.0.5:26379, sentinel-2:26380,[::1]:26381', REDIS_SENTINEL_NAME: 'shop' };

  it('reads REDIS_SENTINELS as host:port pairs, IPv6 in brackets, with the master name', () => {
    expect(loadConfig(sentinels).redisSentinel).toEqual({
      name: 'shop',
      nodes: [
        { host: '10.0.0.5', port: 26379 },
        { host: 'sentinel-2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
    });
    expect(loadConfig({}).redisSentinel).toBeUndefined();
  });

  it('names the entry that is not host:port', () => {
    expect(() => loadConfig({ ...sentinels, REDIS_SENTINELS: '10.0.0.5:26379,sentinel-2' })).toThrow(
      /REDIS_SENTINELS: "sentinel-2" is not host:port/,
    );
    expect(() => loadConfig({ ...sentinels, REDIS_SENTINELS: 'a:70000' })).toThrow(/"a:70000" is not host:port/);
  });

  it('wants the master name with the sentinels, and not both REDIS_URL and REDIS_SENTINELS', () => {
    expect(() => loadConfig({ REDIS_SENTINELS: 'a:26379' })).toThrow(/needs REDIS_SENTINEL_NAME/);
    expect(() => loadConfig({ REDIS_SENTINEL_NAME: 'shop' })).toThrow(/needs REDIS_SENTINELS/);
    expect(() => loadConfig({ ...sentinels, REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/not both/);
  });

  it('waits for no replica unless REDIS_WAIT_REPLICAS says so, and only with Redis', () => {
    expect(loadConfig({}).redisWaitReplicas).toBe(0);
    expect(loadConfig({ ...sentinels, REDIS_WAIT_REPLICAS: '1' }).redisWaitReplicas).toBe(1);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_WAIT_REPLICAS: '2' }).redisWaitReplicas).toBe(2);
    expect(() => loadConfig({ REDIS_WAIT_REPLICAS: '1' })).toThrow(/needs Redis/);
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_WAIT_REPLICAS: '-1' })).toThrow(
      /REDIS_WAIT_REPLICAS/,
    );
  });
});
