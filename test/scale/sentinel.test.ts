// Redis Sentinel, for real: the store finds Redis through three sentinels
// (REDIS_SENTINELS), and the primary is killed with SIGKILL while 16 shoppers add to
// their carts, once with each setting of REDIS_WAIT_REPLICAS.
// - 0, the default: the primary's word is enough, so the adds it had not yet passed on
//   are lost. Counted and printed, for docs/operating.md to quote.
// - 1: an add is answered 200 only once the replica has it, so every one must survive.
// Either way, an add in flight as the primary dies may have been written and passed on
// before its answer was lost: it was answered 503 "the session store is unavailable",
// which does not say "not saved", and may still be in the cart. Requests go to the
// instance directly, the test standing where HAProxy would (see faults.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startServer } from '../helpers/child-server.js';
import { redisSentinelInstalled, SentinelGroup } from '../helpers/redis-sentinel.js';
import { redisServerInstalled } from '../helpers/redis-server.js';
import { toolAvailable } from '../helpers/services.js';
import { type Answer, answerLine, isSuccess, Shopper, statusCounts } from './client.js';
import { eventually, sleep } from './timing.js';

const available =
  toolAvailable('redis-server', redisServerInstalled()) && toolAvailable('redis-sentinel', redisSentinelInstalled());

const SHOPPERS = 16;
// Stocked products; each shopper's adds stay within the per-line cap of 10.
const PRODUCTS = ['p-001', 'p-002', 'p-003', 'p-005'];
const ADDS_PER_SHOPPER = 40;
const STORE_TIMEOUT_MS = 1000;
/** What the issue of a failover may cost: /readyz is 200 again within this long of the kill. */
const READY_AGAIN_MS = 15_000;
const UNAVAILABLE = /session store is unavailable/i;
/** The session lock's key was lost with the primary (taken there, not yet passed on): not saved. */
const LOCK_LOST = /your change was not saved/i;
/**
 * A lock whose release died with the primary still holds on the new one until its lease
 * (LOCK_LEASE_MS) runs out: the next request of that session waits LOCK_WAIT_MS, then this.
 */
const BUSY = /your session is busy/i;
/** REDIS_WAIT_REPLICAS: no replica confirmed the write in time, so it was undone. */
const UNREPLICATED = /could not keep a safe copy/i;
/** Past LOCK_WAIT_MS (10 s), so a request waiting for such a lock gets its answer. */
const CLIENT_TIMEOUT_MS = 15_000;

type Cart = { cart?: { count: number } };
type Visit = {
  shopper: Shopper;
  acknowledged: number;
  unconfirmed: number;
  /** Each add as it was answered, and when, for a lost cart's report. */
  trail: string[];
};

type Failover = {
  visits: Visit[];
  during: Answer[];
  /** From the kill to the first /readyz 200 after it. */
  readyAgainMs: number;
  /** Carts without an add answered 200, or with one more than a 503 "unavailable" leaves open. */
  lost: string[];
  /** Adds answered 503 "unavailable" that are in the cart all the same. */
  keptUnconfirmed: number;
  /** Times the sentinels switched the primary: 1, the kill's, unless they also failed over on their own. */
  failovers: number;
  member: Shopper;
};

/**
 * One store on a fresh Sentinel deployment: shoppers add while the primary is killed,
 * until /readyz has been 200 again for a second; then every cart is read back.
 */
async function killPrimaryUnderLoad(group: SentinelGroup, store: ChildServer): Promise<Failover> {
  const newShopper = () =>
    new Shopper({ base: store.url, headers: { 'x-forwarded-proto': 'https' }, timeoutMs: CLIENT_TIMEOUT_MS });
  const member = newShopper();
  await member.get('/');
  const login = await member.post('/login', { username: 'alice', password: 'alice-demo-pass' });
  if (login.status !== 200) throw new Error(`the member could not log in: ${answerLine(login)}`);

  const visits: Visit[] = [];
  let going = true;
  let killedAt: number | undefined;
  const shop = async () => {
    while (going) {
      const visit: Visit = { shopper: newShopper(), acknowledged: 0, unconfirmed: 0, trail: [] };
      visits.push(visit);
      await visit.shopper.get('/');
      for (let i = 0; going && i < ADDS_PER_SHOPPER; i++) {
        const before = visit.shopper.cookie;
        const add = await visit.shopper.post('/cart/items', { productId: PRODUCTS[i % PRODUCTS.length], quantity: 1 });
        if (visit.shopper.cookie !== before) visit.trail.push('(a new session)');
        const at = killedAt === undefined ? 'before the kill' : `${Math.round(performance.now() - killedAt)} ms`;
        if (add.status === 200) {
          visit.acknowledged++;
          visit.trail.push(`${at}: 200, ${(add.body as Cart | undefined)?.cart?.count} in the cart`);
        } else {
          if (add.status === 503 && UNAVAILABLE.test(JSON.stringify(add.body))) visit.unconfirmed++;
          visit.trail.push(`${at}: ${answerLine(add)}`);
        }
      }
    }
  };
  const traffic = Array.from({ length: SHOPPERS }, shop);
  const prober = newShopper();
  let readyAgainMs = Number.POSITIVE_INFINITY;
  try {
    await sleep(1500);
    killedAt = performance.now();
    const killed = await group.killPrimary();
    // Down first (the first ping that reaches the dead primary), then up on the new one.
    await eventually('/readyz 503 once the primary is gone', READY_AGAIN_MS, async () => {
      return (await prober.get('/readyz')).status === 503;
    });
    await eventually('/readyz 200 on the new primary', READY_AGAIN_MS, async () => {
      return (await prober.get('/readyz')).status === 200;
    });
    readyAgainMs = Math.round(performance.now() - (killedAt ?? 0));
    // As an operator would: the old primary comes back, empty, as the new one's replica.
    await group.restart(killed);
    await sleep(1000);
  } finally {
    going = false;
    await Promise.all(traffic);
  }

  const lost: string[] = [];
  let keptUnconfirmed = 0;
  for (const { shopper, acknowledged, unconfirmed, trail } of visits) {
    shopper.close();
    // What is stored, read once the store answers: a read refused or cut off says nothing of it.
    let cart = await shopper.get('/cart');
    for (let tries = 1; cart.status !== 200 && tries < 5; tries++) cart = await shopper.get('/cart');
    const count = (cart.body as Cart | undefined)?.cart?.count ?? Number.NaN;
    if (!(count >= acknowledged && count <= acknowledged + unconfirmed)) {
      lost.push(
        `${acknowledged} acknowledged (+${unconfirmed} unconfirmed), ${count} in the cart: ${answerLine(cart)}\n  ${trail.join('; ')}`,
      );
    }
    keptUnconfirmed += Math.max(0, count - acknowledged);
    shopper.close();
  }
  prober.close();
  const during = visits.flatMap((v) => v.shopper.answers);
  return { visits, during, readyAgainMs, lost, keptUnconfirmed, failovers: group.failovers(), member };
}

function useFailover(waitReplicas: number): () => Failover {
  let group: SentinelGroup | undefined;
  let store: ChildServer | undefined;
  let result: Failover | undefined;
  beforeAll(async () => {
    group = await SentinelGroup.start();
    store = await startServer({
      env: {
        REDIS_SENTINELS: group.sentinelList,
        REDIS_SENTINEL_NAME: 'shop',
        REDIS_WAIT_REPLICAS: String(waitReplicas),
        STORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS),
        TRUST_PROXY: 'loopback',
      },
    });
    result = await killPrimaryUnderLoad(group, store).catch((err: unknown) => {
      throw new Error(`${String(err)}\nThe store's output:\n${store?.output().slice(-4000)}`);
    });
    const adds = result.visits.reduce((sum, v) => sum + v.acknowledged, 0);
    console.info(
      `sentinel failover, REDIS_WAIT_REPLICAS=${waitReplicas}: ${result.during.length} requests ` +
        `(${statusCounts(result.during)}), ${adds} adds acknowledged, ${result.lost.length} carts short of them, ` +
        `${result.keptUnconfirmed} adds answered 503 "unavailable" kept all the same, ` +
        `/readyz 200 again ${result.readyAgainMs} ms after the kill, ${result.failovers} failover(s)`,
    );
  }, 90_000);
  afterAll(async () => {
    result?.member.close();
    await store?.stop();
    await group?.stop();
  });
  return () => {
    if (result === undefined) throw new Error('the failover did not run');
    return result;
  };
}

/** What holds with either setting: success or 503 meanwhile, the member kept, ready again in time. */
function itFailsOverCleanly(failover: () => Failover): void {
  it('started on the Redis the sentinels named', () => {
    expect(failover().during.filter(isSuccess).length).toBeGreaterThan(SHOPPERS);
  });

  it('answers nothing but success or 503 while it fails over', () => {
    const other = failover().during.filter((a) => {
      if (isSuccess(a)) return false;
      const error = JSON.stringify(a.body);
      return !(a.status === 503 && [UNAVAILABLE, LOCK_LOST, BUSY, UNREPLICATED].some((said) => said.test(error)));
    });
    expect(other.map(answerLine)).toEqual([]);
  });

  it('keeps a member who logged in before the failover logged in', async () => {
    const { member } = failover();
    const account = await member.get('/account');
    expect(account.status, answerLine(account)).toBe(200);
  });

  it(`is ready again within ${READY_AGAIN_MS / 1000} s of the kill, after one failover`, () => {
    expect(failover().readyAgainMs).toBeLessThanOrEqual(READY_AGAIN_MS);
    expect(failover().failovers).toBe(1);
  });
}

describe.skipIf(!available)('Redis Sentinel: the primary killed under load, REDIS_WAIT_REPLICAS=0', () => {
  // The default: replication is asynchronous, so an add the primary answered but had not
  // yet passed on is lost with it. Counted and printed, not asserted: zero would be luck,
  // not a promise.
  itFailsOverCleanly(useFailover(0));
});

describe.skipIf(!available)('Redis Sentinel: the primary killed under load, REDIS_WAIT_REPLICAS=1', () => {
  const failover = useFailover(1);
  itFailsOverCleanly(failover);

  it('keeps every add it acknowledged', () => {
    expect(failover().lost).toEqual([]);
  });
});
