// The classic express-session tutorial — log in with a name, see a dashboard, log out —
// done right. Each comment names the mistake of the naive version that its line avoids.
// Run: `npm run example` (PORT honoured, default 3000). The shop does all this and more.
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import express, { type Request, type Response } from 'express';
import session from 'express-session';
import createMemoryStore from 'memorystore';
import { z } from 'zod';

const MemoryStore = createMemoryStore(session);
// Letters, digits, _ . and - only: the name is echoed back, so no room for markup or control codes.
const loginBody = z.object({ username: z.string().regex(/^[\w.-]{1,32}$/) });
// The one key this file keeps, typed here so the rest of the code cannot misspell it.
const sessionOf = (req: Request) => req.session as typeof req.session & { username?: string };

function secretFromEnv(): string {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET; // not hard-coded in the source
  console.warn('SESSION_SECRET is not set: using a random one, so logins end when this restarts');
  return randomBytes(32).toString('hex'); // never 'keyboard cat': a known secret forges cookies
}

export function createApp(secret = secretFromEnv()) {
  const app = express().disable('x-powered-by'); // the X-Powered-By header advertises the stack too
  app.use(express.urlencoded({ extended: false, limit: '1kb' }), express.json({ limit: '1kb' })); // form or JSON
  app.use(
    session({
      name: 'tutorial.sid', // not connect.sid: the default name advertises the stack
      secret,
      store: new MemoryStore({ checkPeriod: 60_000 }), // the default MemoryStore never prunes unread sessions
      resave: false, // rewriting unchanged sessions races with parallel requests
      saveUninitialized: false, // no session (and no cookie) until someone logs in
      cookie: { httpOnly: true, sameSite: 'lax', maxAge: 30 * 60_000 }, // no JS access; no cross-site POSTs
    }),
  );

  // POST /login — the naive version sets req.session.username and redirects at once
  app.post('/login', (req: Request, res: Response) => {
    // JSON sent as a form (curl -d without -H) parses as one odd key: say which header is missing.
    const looksLikeJson =
      req.is('urlencoded') && Object.keys(req.body ?? {}).some((k) => k.trimStart().startsWith('{'));
    if (looksLikeJson || (req.body === undefined && req.is('*/*')))
      return void res
        .status(415)
        .json({ error: 'Send JSON with the header Content-Type: application/json, or a form' });
    const parsed = loginBody.safeParse(req.body ?? {}); // a missing body must not crash into a 500
    if (!parsed.success) return void res.status(422).json({ error: 'username: 1–32 letters, digits, . _ -' });
    // A new ID on login: an ID planted before it (session fixation) must not become a logged-in one.
    req.session.regenerate((err) => {
      if (err) return void res.status(503).json({ error: 'could not start a session' });
      sessionOf(req).username = parsed.data.username;
      // Save before answering: the client may follow the redirect before an automatic save lands.
      req.session.save((saveErr) => {
        if (saveErr) return void res.status(503).json({ error: 'could not save the session' });
        if (req.accepts(['html', 'json']) === 'json') return void res.json({ username: parsed.data.username });
        res.redirect(303, '/dashboard'); // 303: the browser follows with a GET, never re-POSTs
      });
    });
  });

  // GET /dashboard — only for a session that logged in
  app.get('/dashboard', (req: Request, res: Response) => {
    const username = sessionOf(req).username;
    if (username === undefined) return void res.status(401).type('text').send('Please login first'); // 401, not 200
    res.type('text').send(`Welcome back, ${username}`); // text, not HTML: a name is never markup
  });

  // GET /logout — 405 rather than a bare 404: the method is wrong, not the path, and the answer says why
  app.get('/logout', (_req: Request, res: Response) => {
    res.status(405).set('Allow', 'POST').type('text');
    res.send(
      'Logging out changes state, so it is a POST: a GET can come from a link prefetch, an image tag or a crawler, which must not log anyone out. Send POST /logout.',
    );
  });

  // POST /logout — never GET: a prefetch, an <img> or a crawler must not log anyone out
  app.post('/logout', (req: Request, res: Response) => {
    req.session.destroy((err) => {
      // Destroyed in the store, not just emptied: the old cookie must be worthless if replayed.
      if (err) return void res.status(503).json({ error: 'could not end the session' });
      res.clearCookie('tutorial.sid', { httpOnly: true, sameSite: 'lax', path: '/' }); // same attributes, or it stays
      res.status(204).end();
    });
  });
  return app;
}

// Started directly (npm run example), not when a test imports createApp.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 3000);
  createApp().listen(port, () => console.log(`Tutorial login on http://localhost:${port}`));
}
