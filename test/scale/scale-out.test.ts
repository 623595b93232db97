// Several instances, for real: three processes of src/server.ts behind HAProxy
// (deploy/haproxy.cfg, round-robin, no stickiness), sharing a private Redis and a
// PostgreSQL database of their own. One shopper's whole visit goes through the proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, LOG_FLUSHED_MS, scaleSuiteAvailable, useCluster } from '../helpers/scale-harness.js';
import { contact } from '../helpers/shop.js';
import { answerLine, errorText, isSuccess, Shopper, statusCounts } from './client.js';
import { p100, sleep } from './timing.js';

const available = await scaleSuiteAvailable();

// Stocked products, 10 of each (the per-line cap): 40 adds that must all be kept.
const PRODUCTS = ['p-001', 'p-002', 'p-003', 'p-005'];

type CartJson = { cart: { count: number; lines: { productId: string; quantity: number }[] } };

describe.skipIf(!available)('three instances behind HAProxy', () => {
  const getCluster = useCluster({ instances: 3, proxy: true });
  let cluster: Cluster;
  let shopper: Shopper;

  beforeAll(() => {
    cluster = getCluster();
    const proxy = cluster.proxy;
    if (!proxy) throw new Error('the cluster was started without its proxy');
    shopper = new Shopper({ base: proxy.url, ca: proxy.ca });
  });

  afterAll(() => shopper?.close());

  it('starts three instances at once on one empty database, none crashing', () => {
    expect(cluster.startFailures).toEqual([]);
  });

  it('has every instance ready, so HAProxy keeps all three in rotation', async () => {
    const prober = new Shopper({ base: shopper.base });
    const direct = await Promise.all(cluster.instances.map((i) => prober.get('/readyz', { at: i.url })));
    prober.close();
    expect(direct.map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual(
      Array(3).fill('200 {"status":"ok","checks":{"sessions":"ok","database":"ok"}}'),
    );
  });

  // One shopper's visit, step by step: each step runs on the cookie the previous one left.
  it('gives a first-time visitor a Secure session cookie through the proxy', async () => {
    const home = await shopper.get('/', { accept: 'text/html' });
    expect(home.status).toBe(200);
    // Secure, yet set: the instances believed HAProxy's X-Forwarded-Proto (TRUST_PROXY=loopback).
    expect(home.setCookie.find((c) => c.startsWith('shop.sid='))).toMatch(/;\s*Secure/i);
  });

  it('keeps all 40 parallel adds on one cookie, spread over the instances', async () => {
    const started = performance.now();
    const adds = await Promise.all(
      Array.from({ length: 40 }, (_, i) => shopper.post('/cart/items', { productId: PRODUCTS[i % 4], quantity: 1 })),
    );
    const perInstance = await cluster.servedBy('POST', '/cart/items', 40);
    console.info(
      `scale-out: 40 parallel adds in ${Math.round(performance.now() - started)} ms, p100 ${p100(adds)} ms, per instance ${perInstance.join('/')}`,
    );
    expect(statusCounts(adds)).toBe('200×40');
    const cart = (await shopper.get('/cart')).body as CartJson;
    expect(cart.cart?.count).toBe(40);
    expect(cart.cart?.lines.map((l) => l.quantity)).toEqual([10, 10, 10, 10]);
    expect(perInstance.filter((n) => n > 0).length).toBeGreaterThan(1);
  });

  it('logs in and merges the guest cart', async () => {
    const login = await shopper.post('/login', { username: 'ravi', password: 'ravi-demo-pass' });
    expect(login.status, errorText(login)).toBe(200);
    expect((login.body as CartJson).cart.count).toBe(40);
  });

  it('checks out', async () => {
    const form = await shopper.get('/checkout');
    expect(form.status, errorText(form)).toBe(200);
    const { checkoutToken } = form.body as { checkoutToken: string };
    const order = await shopper.post('/checkout', { ...contact, checkoutToken });
    expect(order.status, errorText(order)).toBe(201);
  });

  it('logs out', async () => {
    const logout = await shopper.post('/logout');
    expect(logout.status, errorText(logout)).toBe(200);
    expect((logout.body as CartJson).cart.count).toBe(0);
  });

  it('answered every request of the visit with a 2xx, from more than one instance', async () => {
    expect(shopper.answers.filter((a) => !isSuccess(a)).map(answerLine)).toEqual([]);
    await sleep(LOG_FLUSHED_MS); // until every instance's last log lines are out
    const everything = cluster.instances.map(
      (_, i) => cluster.servedByInstance(i).filter((r) => r.url !== '/readyz').length,
    );
    expect(everything.filter((n) => n > 0).length).toBeGreaterThan(1);
  });

  it('carries one request id from HAProxy to an instance and back, in both logs, whatever a client sent', async () => {
    const visitor = new Shopper({ base: shopper.base, ca: cluster.proxy?.ca, headers: { 'x-request-id': 'mine-1' } });
    const answer = await visitor.get('/cart');
    visitor.close();
    const id = answer.requestId ?? '';
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await sleep(LOG_FLUSHED_MS); // until every instance's last log lines are out
    const served = cluster.instances.flatMap((_, i) => cluster.servedByInstance(i)).filter((r) => r.id === id);
    expect(served).toEqual([{ method: 'GET', url: '/cart', status: 200, id }]);
    const proxyLines = (cluster.proxy?.log ?? '').split('\n').filter((line) => line.includes(id));
    expect(proxyLines).toEqual([
      expect.stringMatching(/ shop~ instances\/app\d .* 200 .*"GET \/cart HTTP\/1\.1" [\w-]{36}$/),
    ]);
    expect(cluster.proxy?.log).not.toContain('mine-1');
  });

  it('drains an instance on SIGTERM behind the proxy: no request fails, and it exits 0', async () => {
    const [leaving] = cluster.instances;
    if (!leaving) throw new Error('no instances');
    const visitor = new Shopper({ base: shopper.base, ca: cluster.proxy?.ca });
    await visitor.get('/');
    await visitor.post('/cart/items', { productId: 'p-009' }); // the line whose quantity the traffic sets
    let going = true;
    // A few requests always in flight, reads and writes, while the instance leaves.
    const traffic = Array.from({ length: 4 }, async (_, n) => {
      for (let i = 0; going; i++) {
        await (n === 0 ? visitor.post('/cart/items/p-009', { quantity: (i % 9) + 1 }) : visitor.get('/cart'));
      }
    });
    await sleep(300);
    leaving.kill('SIGTERM');
    const exit = await leaving.exited;
    // The instance served on until HAProxy's checks saw its /readyz fail (SHUTDOWN_DELAY_MS);
    // a little longer, so traffic runs on the two left as well.
    await sleep(2_000);
    going = false;
    await Promise.all(traffic);
    visitor.close();
    console.info(`scale-out: SIGTERM drain under traffic: ${statusCounts(visitor.answers)}`);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(visitor.answers.filter((a) => !isSuccess(a)).map(answerLine)).toEqual([]);
    expect(visitor.resets).toEqual([]);
  });
});
