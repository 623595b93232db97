// Baseline 2: Express + express-session + memorystore configured exactly like the
// store's src/session/setup.ts (same cookie, same flags, same store options) and
// nothing else, so "store ÷ this" is the cost of everything the store adds on top of
// a session. Run by the bench in a child process; reads PORT, HOST, SESSION_SECRET.
// With STORE_HTTP_SERVER (the file URL of the build's dist/web/http/http-server.js) it is
// served by the store's own createHttpServer instead of Node's createServer: #2c,
// the same floor with the request classes the store's server uses.
import { createServer } from 'node:http';
import express from 'express';
import session from 'express-session';
import createMemoryStore from 'memorystore';

const MemoryStore = createMemoryStore(session);
const secret = process.env.SESSION_SECRET ?? '';
if (secret.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters');

const app = express();
app.disable('x-powered-by');
app.set('trust proxy', 1); // like the store in production: TLS ends at a proxy
app.get('/healthz', (_req, res) => {
  res.send('ok');
});
app.use(
  session({
    store: new MemoryStore({ checkPeriod: 10 * 60_000, max: 100_000 }),
    name: 'shop.sid',
    secret: [secret],
    saveUninitialized: true,
    resave: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: true, maxAge: 30 * 60_000, path: '/' },
  }),
);
app.get('/', (_req, res) => {
  res.send('ok');
});

const storeServer = process.env.STORE_HTTP_SERVER;
const server = storeServer
  ? ((await import(storeServer)) as typeof import('../../src/web/http/http-server.js')).createHttpServer(app)
  : createServer(app);
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
