import { beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, json, makeShop, type Shop, visitor } from '../helpers/shop.js';

let shop: Shop;
beforeAll(async () => {
  shop = await makeShop();
});

describe('POST /preferences', () => {
  it('keeps the choices in the session and applies them on later pages', async () => {
    const { agent, csrf } = await visitor(shop);
    await agent
      .post('/preferences')
      .type('form')
      .send({ sort: 'price-desc', view: 'list', theme: 'dark', pageSize: '6', _csrf: csrf, returnTo: '/' })
      .expect(303)
      .expect('Location', '/');

    const page = await agent.get('/').expect(200);
    expect(page.text).toContain('<html lang="en" data-theme="dark">');
    expect(page.text).toContain('class="products products--list"');
    expect(page.text).toContain('<option value="price-desc" selected>');

    const listed = await agent.get('/').set(json).expect(200);
    expect(listed.body.products).toHaveLength(6);
    const prices: number[] = listed.body.products.map((p: { priceCents: number }) => p.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
  });

  it('changes only the preferences given', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/preferences').set(json).send({ theme: 'dark' }).expect(200);
    const res = await agent.post('/preferences').set(json).send({ pageSize: 24 }).expect(200);
    expect(res.body.prefs).toEqual({ sort: 'featured', view: 'grid', theme: 'dark', pageSize: 24 });
  });

  it('lets the URL’s sort override the saved one without changing it', async () => {
    const { agent } = await visitor(shop);
    await agent.post('/preferences').set(json).send({ sort: 'name' }).expect(200);
    const res = await agent.get('/?sort=price-asc').set(json).expect(200);
    expect(res.body.sort).toBe('price-asc');
    expect(res.body.prefs.sort).toBe('name');
  });

  it('refuses values outside the choices with 422 naming the field, changing nothing', async () => {
    const { agent } = await visitor(shop);
    for (const body of [{ theme: 'neon' }, { pageSize: 7 }, { view: ['grid'] }, { sort: 42 }]) {
      const res = await agent.post('/preferences').set(json).send(body).expect(422);
      expect(res.body.error).toContain(Object.keys(body)[0]);
    }
    const res = await agent.get('/').set(json).expect(200);
    expect(res.body.prefs).toEqual({ sort: 'featured', view: 'grid', theme: 'light', pageSize: 12 });
  });
});

describe('POST /preferences from the form (all four drop-downs)', () => {
  /** The form as it posts without JavaScript: every drop-down, changed or not. */
  const wholeForm = (csrf: string, sort: string) => ({
    sort,
    view: 'grid',
    theme: 'light',
    pageSize: '12',
    _csrf: csrf,
    returnTo: '/',
  });
  type Event = { event: string; detail?: Record<string, unknown> };

  it('stores only the drop-down that changed, and records only that on the timeline', async () => {
    const { agent, csrf } = await visitor(shop);
    await agent.post('/preferences').type('form').send(wholeForm(csrf, 'name')).expect(303);
    const inspected = await agent.get('/session').set(json).expect(200);
    expect(inspected.body.data.prefs).toEqual({ sort: 'name' });
    const recorded = inspected.body.timeline.filter((e: Event) => e.event === 'preferences');
    expect(recorded.map((e: Event) => e.detail)).toEqual([{ sort: 'name' }]);
  });

  it('records nothing when nothing changed', async () => {
    const { agent, csrf } = await visitor(shop);
    await agent.post('/preferences').type('form').send(wholeForm(csrf, 'featured')).expect(303);
    const inspected = await agent.get('/session').set(json).expect(200);
    expect(inspected.body.data.prefs).toBeUndefined();
    expect(inspected.body.timeline.map((e: Event) => e.event)).not.toContain('preferences');
  });

  it('leaves a member’s saved theme alone when a guest changes only the sort, then logs in', async () => {
    const username = `prefs-${Date.now().toString(36)}`;
    const password = 'a-long-enough-password';
    const member = (await visitor(shop)).agent;
    await member.post('/register').set(json).send({ username, password }).expect(201);
    await member.post('/preferences').set(json).send({ theme: 'dark' }).expect(200);

    const { agent, csrf } = await visitor(shop);
    await agent.post('/preferences').type('form').send(wholeForm(csrf, 'name')).expect(303);
    const login = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ username, password, _csrf: csrfFrom(login.text) })
      .expect(303);
    const res = await agent.get('/').set(json).expect(200);
    expect(res.body.prefs).toMatchObject({ theme: 'dark', sort: 'name' });
  });
});
