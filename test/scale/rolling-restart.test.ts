// A deploy, for real: three instances of src/server.ts behind HAProxy (deploy/haproxy.cfg)
// restarted one by one, as docs/operating.md's "Stopping an instance" says, while shoppers keep
// adding to their carts through the proxy. No connection may fail, no answer may be a
// 5xx, and every add that was answered 200 must be in its cart afterwards.
import { describe, expect, it } from 'vitest';
import type { Exit } from '../helpers/child-server.js';
import { scaleSuiteAvailable, useCluster } from '../helpers/scale-harness.js';
import { answerLine, isSuccess, Shopper, statusCounts } from './client.js';
import { eventually } from './timing.js';

const available = await scaleSuiteAvailable();

// Stocked products, 10 of each (the per-line cap): a shopper's 40 adds all fit its cart,
// then a new shopper (a new cookie) takes over.
const PRODUCTS = ['p-001', 'p-002', 'p-003', 'p-005'];
const ADDS_PER_SHOPPER = 40;
/** Shoppers at once, each one request at a time: steady load on every connection. */
const PARALLEL = 12;

type CartJson = { cart?: { count: number } };
type Visit = { shopper: Shopper; acknowledged: number };

describe.skipIf(!available)('a rolling restart of three instances behind HAProxy', () => {
  const getCluster = useCluster({ instances: 3, proxy: true });

  it('drops no connection, answers no 5xx, and keeps every acknowledged add', async () => {
    const cluster = getCluster();
    const proxy = cluster.proxy;
    if (!proxy) throw new Error('the cluster was started without its proxy');
    const visits: Visit[] = [];
    let going = true;
    const shopWhileDeploying = async () => {
      while (going) {
        const visit = { shopper: new Shopper({ base: proxy.url, ca: proxy.ca }), acknowledged: 0 };
        visits.push(visit);
        await visit.shopper.get('/');
        for (let i = 0; going && i < ADDS_PER_SHOPPER; i++) {
          const productId = PRODUCTS[i % PRODUCTS.length];
          const add = await visit.shopper.post('/cart/items', { productId, quantity: 1 });
          if (add.status === 200) visit.acknowledged++;
          if (i % 4 === 3) await visit.shopper.get('/cart');
        }
      }
    };
    const traffic = Array.from({ length: PARALLEL }, shopWhileDeploying);

    const exits: Exit[] = [];
    const took: number[] = [];
    try {
      for (let i = 0; i < cluster.instances.length; i++) {
        const name = `app${i + 1}`;
        const upBefore = proxy.timesUp(name);
        const started = performance.now();
        exits.push(await cluster.restart(i));
        // As an operator would: the next instance goes once the proxy has this one back
        // in rotation (rise 2 × inter 1 s), not merely once it answers.
        await eventually(`${name} back in HAProxy's rotation`, 15_000, async () => proxy.timesUp(name) > upBefore);
        took.push(Math.round(performance.now() - started));
      }
    } finally {
      going = false;
      await Promise.all(traffic);
    }

    // Every cart, read once the deploy is over, against the adds it acknowledged. On a new
    // connection: an early shopper's has been idle past HAProxy's `timeout http-keep-alive`
    // by now, and its close racing this read would be the keep-alive race of any idle
    // connection, not something the deploy did.
    const lost: string[] = [];
    for (const { shopper, acknowledged } of visits) {
      shopper.close();
      const cart = await shopper.get('/cart');
      const count = (cart.body as CartJson).cart?.count;
      if (count !== acknowledged) lost.push(`${shopper.cookie}: ${acknowledged} acknowledged, ${count} in the cart`);
    }
    for (const { shopper } of visits) shopper.close();

    const answers = visits.flatMap((v) => v.shopper.answers);
    const resets = visits.flatMap((v) => v.shopper.resets);
    const adds = visits.reduce((sum, v) => sum + v.acknowledged, 0);
    console.info(
      `rolling restart: ${answers.length} requests (${statusCounts(answers)}), ${adds} acknowledged adds, ` +
        `${resets.length} connection resets, exits ${exits.map((e) => e.code).join('/')}, ` +
        `restarts took ${took.join('/')} ms; HAProxy took them out for ${proxy.downReasons().join('; ')}`,
    );
    expect(resets).toEqual([]);
    expect(answers.filter((a) => !isSuccess(a)).map(answerLine)).toEqual([]);
    expect(lost).toEqual([]);
    expect(exits).toEqual(Array(3).fill({ code: 0, signal: null }));
  }, 180_000);
});
