import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../examples/tutorial-login.js';

const SECRET = 'tutorial-test-secret-that-is-long-enough';

/** The signed session cookie (name=value) a response set, if any. */
function cookieOf(res: { headers: Record<string, unknown> }): string | undefined {
  const raw = res.headers['set-cookie'];
  const cookies = Array.isArray(raw) ? (raw as string[]) : [];
  return cookies.find((c) => c.startsWith('tutorial.sid='))?.split(';')[0];
}

describe('examples/tutorial-login.ts', () => {
  it('runs the whole flow: 401, login, welcome, new id, logout, 401, old cookie refused', async () => {
    const app = createApp(SECRET);
    const agent = request.agent(app);

    const before = await agent.get('/dashboard').expect(401);
    expect(before.text).toBe('Please login first');
    expect(cookieOf(before)).toBeUndefined(); // saveUninitialized: false

    // A cookie planted before login (fixation): login must not keep its ID.
    const planted = await agent.post('/login').type('form').send({ username: 'mallory' }).expect(303);
    const plantedCookie = cookieOf(planted);
    expect(plantedCookie).toBeDefined();

    const login = await agent.post('/login').type('form').send({ username: 'ravi' }).expect(303);
    expect(login.headers.location).toBe('/dashboard');
    const cookie = cookieOf(login);
    expect(cookie).toBeDefined();
    expect(cookie).not.toBe(plantedCookie);
    expect(login.headers['set-cookie']?.[0]).toMatch(/HttpOnly/);
    expect(login.headers['set-cookie']?.[0]).toMatch(/SameSite=Lax/);

    const dashboard = await agent.get('/dashboard').expect(200);
    expect(dashboard.text).toBe('Welcome back, ravi');
    // The pre-login ID was destroyed by regenerate(): replaying it grants nothing.
    await request(app)
      .get('/dashboard')
      .set('Cookie', plantedCookie ?? '')
      .expect(401);

    const logout = await agent.post('/logout').expect(204);
    expect(logout.headers['set-cookie']?.[0]).toMatch(/^tutorial\.sid=;.*Expires=Thu, 01 Jan 1970/);
    await agent.get('/dashboard').expect(401);

    const replay = await request(app)
      .get('/dashboard')
      .set('Cookie', cookie ?? '')
      .expect(401);
    expect(replay.text).toBe('Please login first');
  });

  it('accepts a JSON login and answers JSON', async () => {
    const agent = request.agent(createApp(SECRET));
    const res = await agent.post('/login').set('Accept', 'application/json').send({ username: 'alice' }).expect(200);
    expect(res.body).toEqual({ username: 'alice' });
    expect((await agent.get('/dashboard').expect(200)).text).toBe('Welcome back, alice');
  });

  it('refuses a missing or unsafe username with 422 and no session', async () => {
    const app = createApp(SECRET);
    for (const body of [{}, { username: '' }, { username: '<script>' }, { username: ['a'] }]) {
      const res = await request(app).post('/login').send(body).expect(422);
      expect(res.body.error).toMatch(/^username/);
      expect(cookieOf(res)).toBeUndefined();
    }
    await request(app).post('/login').type('form').send('').expect(422);
  });

  it('does not log out on GET: 405, Allow: POST, and a sentence on why', async () => {
    const agent = request.agent(createApp(SECRET));
    await agent.post('/login').send({ username: 'ravi' }).expect(303);
    const res = await agent.get('/logout').expect(405).expect('Allow', 'POST');
    expect(res.text).toMatch(/^Logging out changes state, so it is a POST: .*crawler/);
    await agent.get('/dashboard').expect(200);
  });

  it('answers a JSON body sent without Content-Type: application/json with 415 naming the header', async () => {
    const app = createApp(SECRET);
    // curl -d sends application/x-www-form-urlencoded unless told otherwise.
    const asForm = await request(app).post('/login').type('form').send('{"username":"ravi"}').expect(415);
    expect(asForm.body.error).toContain('Content-Type: application/json');
    expect(cookieOf(asForm)).toBeUndefined();
    const asText = await request(app).post('/login').type('text').send('{"username":"ravi"}').expect(415);
    expect(asText.body.error).toContain('Content-Type: application/json');
    // A real form still works, and so does JSON with its header.
    await request(app).post('/login').type('form').send('username=ravi').expect(303);
    await request(app).post('/login').type('json').send('{"username":"ravi"}').expect(303);
  });
});
