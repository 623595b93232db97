import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode, json, makeShop, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeAll(async () => {
  shop = await makeShop();
});

const RAVI = { username: 'ravi', password: 'ravi-demo-pass' };
const storeLength = () =>
  new Promise<number>((resolve, reject) =>
    shop.services.sessionStore.length?.((err, n) => (err ? reject(err) : resolve(n ?? 0))),
  );
type Side = { sent: number; kept: number; timeline: { add: number; overwrote: number; kept: boolean }[] };

describe('GET /lab', () => {
  it('offers both labs, each a form with the CSRF token, and links back to the inspector', async () => {
    const { agent } = await visitor(shop);
    const page = decode((await agent.get('/lab').expect(200)).text);
    expect(page).toMatch(/<form action="\/lab\/lost-update" method="post"[^>]*>\s*<input type="hidden" name="_csrf"/);
    expect(page).toMatch(/<form action="\/lab\/fixation" method="post"[^>]*>\s*<input type="hidden" name="_csrf"/);
    expect(page).toMatch(/<label for="lab-n">/);
    expect(page).toContain('href="/session"');
    expect((await agent.get('/session').expect(200)).text).toContain('href="/lab"');
  });

  it('lists the learner’s own old and new session IDs after a login', async () => {
    const { agent } = await visitor(shop);
    const guestId = (await agent.get('/session').set(json)).body.sessionId;
    await agent.post('/login').set(json).send(RAVI).expect(200);
    const memberId = (await agent.get('/session').set(json)).body.sessionId;
    const page = decode((await agent.get('/lab').expect(200)).text);
    expect(page).toContain(`login — <code>${guestId}</code> became <code>${memberId}</code>`);
  });

  it('is not there when the inspector is off', async () => {
    const off = await makeShop({ env: { SESSION_INSPECTOR: 'off' }, demoAccounts: false });
    await request(off.app).get('/lab').expect(404);
    await request(off.app).post('/lab/lost-update').set(json).send({}).expect(404);
  });
});

describe('POST /lab/lost-update', () => {
  it('keeps every add behind the lock and loses some without it, every time', async () => {
    const { agent } = await visitor(shop);
    for (let run = 0; run < 5; run++) {
      const res = await agent.post('/lab/lost-update').set(json).send({ n: 10 }).expect(200);
      const { withLock, withoutLock } = res.body as { withLock: Side; withoutLock: Side };
      expect(withLock).toMatchObject({ sent: 10, kept: 10 });
      expect(withoutLock.sent).toBe(10);
      expect(withoutLock.kept).toBeGreaterThanOrEqual(1);
      expect(withoutLock.kept).toBeLessThan(10);
      expect(withLock.timeline.map((e) => e.overwrote)).toEqual(Array(10).fill(0));
      // Each add tells whether its own line survived; the lost ones were overwritten unseen.
      expect(withoutLock.timeline.filter((e) => e.kept)).toHaveLength(withoutLock.kept);
      expect(withoutLock.timeline.some((e) => e.overwrote > 0)).toBe(true);
      expect(withoutLock.timeline.map((e) => e.add).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
  });

  it('fires 10 adds when n is not given, and up to 50', async () => {
    const { agent } = await visitor(shop);
    expect((await agent.post('/lab/lost-update').set(json).send({}).expect(200)).body.withLock.sent).toBe(10);
    const fifty = (await agent.post('/lab/lost-update').set(json).send({ n: 50 }).expect(200)).body;
    expect(fifty.withLock).toMatchObject({ sent: 50, kept: 50 });
    expect(fifty.withoutLock.kept).toBeLessThan(50);
  });

  it.each([[1], [51], ['ten'], [2.5], [-3]])('refuses n=%s with 400 and says what n may be', async (n) => {
    const { agent } = await visitor(shop);
    const res = await agent.post('/lab/lost-update').set(json).send({ n }).expect(400);
    expect(res.body.error).toBe('n must be a whole number from 2 to 50');
  });

  it('shows both sides next to each other for a form post, and refuses one without the token', async () => {
    const { agent, csrf } = await visitor(shop);
    await agent.post('/lab/lost-update').type('form').send({ n: '10' }).expect(403);
    const page = decode(
      (await agent.post('/lab/lost-update').type('form').send({ _csrf: csrf, n: '' }).expect(200)).text,
    );
    expect(page).toContain('<h3>With the session lock</h3>\n          <p class="lab__summary">sent 10, kept 10</p>');
    expect(page).toMatch(/<h3>Without a lock<\/h3>\s*<p class="lab__summary">sent 10, kept [1-9]<\/p>/);
  });

  it('never touches the learner’s own session', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/cart/items').set(json).send({ productId: 'p-001' }).expect(200);
    const before = (await agent.get('/session').set(json)).body;
    const sessions = await storeLength();
    await agent.post('/lab/lost-update').set(json).send({ n: 20 }).expect(200);
    await agent.post('/lab/fixation').set(json).send({}).expect(200);
    const after = (await agent.get('/session').set(json)).body;
    expect(after.sessionId).toBe(before.sessionId);
    expect(after.data).toEqual(before.data);
    expect(after.timeline).toEqual(before.timeline);
    expect(await storeLength()).toBe(sessions);
  });
});

describe('POST /lab/fixation', () => {
  it('logs a sandbox guest in under a new ID, and a replay of the old ID finds a fresh anonymous session', async () => {
    const { agent } = await visitor(shop);
    const res = (await agent.post('/lab/fixation').set(json).send({}).expect(200)).body;
    expect(res.beforeLogin).toMatchObject({ user: null, cartLines: 1, setCookie: true });
    expect(res.afterLogin).toMatchObject({ user: 'ravi', cartLines: 1, setCookie: true });
    expect(res.afterLogin.sessionId).not.toBe(res.beforeLogin.sessionId);
    expect(res.replayOld).toMatchObject({ user: null, cartLines: 0, setCookie: false });
    expect(res.replayOld.sentSessionId).toBe(res.beforeLogin.sessionId);
    expect([res.beforeLogin.sessionId, res.afterLogin.sessionId]).not.toContain(res.replayOld.sessionId);
    expect(res.beforeLogin.sentSessionId).toBeNull();
    expect(res.replayNew.sentSessionId).toBe(res.afterLogin.sessionId);
    expect(res.replayNew).toMatchObject({ sessionId: res.afterLogin.sessionId, user: 'ravi', cartLines: 1 });
    expect(res.oldIdStillValid).toBe(false);
  });

  it('shows the steps as a table for a form post', async () => {
    const { agent, csrf } = await visitor(shop);
    const page = decode((await agent.post('/lab/fixation').type('form').send({ _csrf: csrf }).expect(200)).text);
    expect(page).toContain('<td>A request replays the ID from before the login</td>');
    expect(page).toContain('The old ID found nothing: the replay became a new, anonymous session.');
  });

  it('shows the replayed ID in the replay’s row: the one from before the login', async () => {
    const { agent, csrf } = await visitor(shop);
    const page = decode((await agent.post('/lab/fixation').type('form').send({ _csrf: csrf }).expect(200)).text);
    const rows = [...page.matchAll(/<tr><td>([^<]+)<\/td><td[^>]*><code>([^<]+)<\/code>/g)].map((m) => [m[1], m[2]]);
    const [guest, member, replayOld, replayNew] = rows;
    expect(rows).toHaveLength(4);
    expect(replayOld?.[0]).toBe('A request replays the ID from before the login');
    expect(replayOld?.[1]).toBe(guest?.[1]);
    expect(replayNew?.[1]).toBe(member?.[1]);
    expect(member?.[1]).not.toBe(guest?.[1]);
  });

  it('says the sandbox runs with saveUninitialized: false', async () => {
    const { agent } = await visitor(shop);
    const page = decode((await agent.get('/lab').expect(200)).text);
    expect(page).toMatch(/sandbox runs with <code>saveUninitialized: false<\/code>/);
  });
});
