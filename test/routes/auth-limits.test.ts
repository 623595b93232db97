// The limits on POST /login and POST /register, and what counts as "the same name":
// a failed-login limit per username whatever the IP, a sign-up limit per IP, names
// unique after case folding and dropping . _ -, and reserved staff-like names.
import { createClient, type RedisClientType } from 'redis';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { PrivateRedis, redisServerInstalled } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';
import { decode, json, makeShop, postForm, type Shop, visitor } from '../helpers/shop.js';

const LOGIN_LIMITED = 'Too many failed login attempts. Please wait 15 minutes and try again.';
const TAKEN = 'username: that name is taken, please pick another';

// Behind a proxy on the same host (TRUST_PROXY=loopback), X-Forwarded-For is the
// shopper's address: each test request may come from an IP of its choosing.
const behindProxy = (env: Record<string, string> = {}) => makeShop({ env: { TRUST_PROXY: 'loopback', ...env } });

let ipCounter = 0;
/** A fresh address, never used before in this file. */
const nextIp = () => {
  ipCounter++;
  return `198.51.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
};

const login = (s: Shop, username: string, password: string, ip = nextIp()) =>
  request(s.app).post('/login').set(json).set('X-Forwarded-For', ip).send({ username, password });

const register = (s: Shop, username: string, ip: string, password = 'long-enough') =>
  request(s.app).post('/register').set(json).set('X-Forwarded-For', ip).send({ username, password });

/** Retry-After in whole seconds, within the window. */
function expectRetryAfter(res: request.Response, windowSeconds: number) {
  const value = res.headers['retry-after'];
  expect(value).toMatch(/^\d+$/);
  expect(Number(value)).toBeGreaterThan(0);
  expect(Number(value)).toBeLessThanOrEqual(windowSeconds);
}

describe('failed-login limit per username (any IP)', () => {
  let shop: Shop;
  beforeEach(async () => {
    shop = await behindProxy();
  });

  it('answers 429 with Retry-After after 20 failures of one username from 20 IPs, even for the right password', async () => {
    for (let i = 0; i < 20; i++) await login(shop, 'ravi', 'wrong-pass').expect(401);
    const blocked = await login(shop, 'ravi', 'wrong-pass').expect(429);
    expect(blocked.body).toEqual({ error: LOGIN_LIMITED });
    expectRetryAfter(blocked, 15 * 60);
    await login(shop, 'ravi', 'ravi-demo-pass').expect(429);
    // Other names are not affected, from any address.
    await login(shop, 'alice', 'alice-demo-pass').expect(200);
  });

  it('limits an unknown name exactly like a known one', async () => {
    const limited = await behindProxy({ LOGIN_USERNAME_LIMIT: '3' });
    const attempts = async (username: string) => {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await login(limited, username, 'wrong-pass'));
      return answers;
    };
    const known = await attempts('ravi');
    const unknown = await attempts('nobody-at-all');
    expect(known.map((r) => r.status)).toEqual([401, 401, 401, 429]);
    expect(unknown.map((r) => r.status)).toEqual(known.map((r) => r.status));
    expect(unknown.map((r) => r.body)).toEqual(known.map((r) => r.body));
    expect(unknown.map((r) => Object.keys(r.headers).sort())).toEqual(known.map((r) => Object.keys(r.headers).sort()));
  });

  it('counts every spelling of a name (case, dots, dashes, underscores) as that name', async () => {
    const limited = await behindProxy({ LOGIN_USERNAME_LIMIT: '3' });
    for (const name of ['RAVI', 'r.avi', 'Ra_v-i']) await login(limited, name, 'wrong-pass').expect(401);
    await login(limited, 'ravi.', 'wrong-pass').expect(429);
  });

  it('does not count successful logins', async () => {
    const limited = await behindProxy({ LOGIN_USERNAME_LIMIT: '3' });
    for (let i = 0; i < 2; i++) await login(limited, 'ravi', 'wrong-pass').expect(401);
    for (let i = 0; i < 3; i++) await login(limited, 'ravi', 'ravi-demo-pass').expect(200);
    await login(limited, 'ravi', 'wrong-pass').expect(401); // the 3rd failure
    await login(limited, 'ravi', 'wrong-pass').expect(429);
  });

  it('answers the per-username-and-IP limit with Retry-After too', async () => {
    const ip = nextIp();
    for (let i = 0; i < 5; i++) await login(shop, 'ravi', 'wrong-pass', ip).expect(401);
    const blocked = await login(shop, 'ravi', 'wrong-pass', ip).expect(429);
    expect(blocked.body).toEqual({ error: LOGIN_LIMITED });
    expectRetryAfter(blocked, 15 * 60);
  });
});

describe('logging in by any spelling of a name', () => {
  it('logs RAVI, r.avi and Ravi- in as ravi', async () => {
    const shop = await makeShop();
    for (const username of ['RAVI', 'r.avi', 'Ravi-']) {
      const res = await login(shop, username, 'ravi-demo-pass').expect(200);
      expect(res.body.user).toEqual({ username: 'ravi' });
    }
  });
});

describe('sign-up limit per IP', () => {
  let shop: Shop;
  beforeEach(async () => {
    shop = await behindProxy();
  });

  it('answers 429 with Retry-After after 5 sign-ups from one IP within the hour', async () => {
    const ip = nextIp();
    for (let i = 1; i <= 5; i++) await register(shop, `shopper${i}`, ip).expect(201);
    const blocked = await register(shop, 'shopper6', ip).expect(429);
    expect(blocked.body.error).toMatch(/^Too many sign-ups/);
    expectRetryAfter(blocked, 60 * 60);
    expect(await shop.services.users.find('shopper6')).toBeUndefined();
    // Another address is counted on its own.
    await register(shop, 'shopper6', nextIp()).expect(201);
  });

  it('checks the limit before it says a name is taken, so names cannot be enumerated past it', async () => {
    const ip = nextIp();
    for (const name of ['ravi', 'alice', 'admin', 'r.avi', 'nobody-yet']) {
      const res = await register(shop, name, ip);
      expect(res.status).not.toBe(429);
    }
    const taken = await register(shop, 'alice', ip).expect(429);
    expect(taken.body.error).toMatch(/^Too many sign-ups/);
    await register(shop, 'fresh-name', ip).expect(429);
  });

  it('does not count a form refused as malformed', async () => {
    const ip = nextIp();
    for (let i = 0; i < 6; i++) await register(shop, 'mia', ip, 'short').expect(422);
    await register(shop, 'mia', ip).expect(201);
  });
});

describe('POST /register: one account per name, whatever its spelling', () => {
  let shop: Shop;
  beforeEach(async () => {
    shop = await makeShop({ env: { REGISTER_IP_LIMIT: '100' } });
  });

  it.each(['ravi.', 'r.avi', 'ravi_', 'RAVI', 'R-a_v.i', '_ravi', 'al-ice', 'A.L.I.C.E'])(
    'refuses %s, a lookalike of a taken name, with 409',
    async (username) => {
      const res = await register(shop, username, nextIp()).expect(409);
      expect(res.body).toEqual({ error: TAKEN });
    },
  );

  it('refuses a lookalike of a name registered a moment ago', async () => {
    await register(shop, 'mia.k', nextIp()).expect(201);
    await register(shop, 'MiaK', nextIp()).expect(409);
  });

  it('creates one account when two lookalikes race', async () => {
    const answers = await Promise.all([register(shop, 'twin-name', nextIp()), register(shop, 'twin.name', nextIp())]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it.each(['admin', 'ad.min', 'ADMIN', 'Administrator', 'root', 'r_o_o_t', 'support', 'staff', 'moderator', 'system'])(
    'refuses the reserved name %s with the same 409 and message as a taken one',
    async (username) => {
      const res = await register(shop, username, nextIp()).expect(409);
      expect(res.body).toEqual({ error: TAKEN });
    },
  );

  it('re-renders the form with the taken message for a reserved name', async () => {
    const shopper = await visitor(shop);
    const res = await postForm(shopper, '/register', { username: 'Ad.Min', password: 'long-enough' }).expect(409);
    expect(decode(res.text)).toContain(TAKEN);
  });

  it.each(['...', '-_-', 'a.b'])(
    'refuses %s, a name with fewer than 3 letters or digits, with 422',
    async (username) => {
      const res = await register(shop, username, nextIp()).expect(422);
      expect(res.body.error).toMatch(/^username: /);
    },
  );

  it('lets the new shopper log in by any spelling of the name', async () => {
    await register(shop, 'Mia.Kim', nextIp()).expect(201);
    const res = await login(shop, 'miakim', 'long-enough').expect(200);
    expect(res.body.user).toEqual({ username: 'mia.kim' });
  });
});

const canRunRedis = toolAvailable('redis-server', redisServerInstalled());

describe.skipIf(!canRunRedis)('the limits in Redis, across instances', () => {
  let server: PrivateRedis;
  let redis: RedisClientType;
  let a: Shop;
  let b: Shop;

  beforeAll(async () => {
    server = await PrivateRedis.start();
    redis = createClient({ url: server.url });
    await redis.connect();
    const db = await openDatabase(':memory:');
    const env = { TRUST_PROXY: 'loopback', LOGIN_USERNAME_LIMIT: '4', REGISTER_IP_LIMIT: '2' };
    a = await makeShop({ redis, db, env });
    b = await makeShop({ redis, db, env, demoAccounts: false });
  });

  afterAll(async () => {
    await redis?.quit();
    await server?.stop();
  });

  it('counts failures of one username across instances and IPs', async () => {
    for (let i = 0; i < 4; i++) await login(i % 2 === 0 ? a : b, 'Ra.vi', 'wrong-pass').expect(401);
    const blocked = await login(b, 'ravi', 'wrong-pass').expect(429);
    expect(blocked.body).toEqual({ error: LOGIN_LIMITED });
    expectRetryAfter(blocked, 15 * 60);
    await login(a, 'ravi', 'ravi-demo-pass').expect(429);
  });

  it('counts sign-ups of one IP across instances', async () => {
    const ip = nextIp();
    await register(a, 'first-one', ip).expect(201);
    await register(b, 'second-one', ip).expect(201);
    const blocked = await register(a, 'third-one', ip).expect(429);
    expectRetryAfter(blocked, 60 * 60);
  });
});
