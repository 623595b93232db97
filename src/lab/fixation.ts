// Session fixation, shown on a sandbox: a tiny app with real express-session, its own
// memory store and secret, and the shop's own ShopSession, regenerateSession and commit, on a
// loopback port for the length of one run. A guest fills a cart, logs in (new ID), and
// then a request replays the ID from before the login: it finds nothing, and gets a
// fresh anonymous session. Nothing here touches the shop's sessions or store.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import session from 'express-session';
import { regenerateSession } from '../session/lifecycle.js';
import { ShopSession } from '../session/state.js';
import { saveBeforeAnswering } from '../session/store/commit.js';
import { shortId } from '../session/store/session-id.js';

const COOKIE = 'lab.sid';
const MINUTE = 60_000;

/** One sandbox request: the ID it carried (null: no cookie), the session that answered, and what it held. */
export type SandboxView = {
  sentSessionId: string | null;
  sessionId: string;
  user: string | null;
  cartLines: number;
  setCookie: boolean;
};
export type FixationResult = {
  beforeLogin: SandboxView;
  afterLogin: SandboxView;
  /** A request carrying the pre-login cookie. */
  replayOld: SandboxView;
  /** The post-login cookie still works. */
  replayNew: SandboxView;
  oldIdStillValid: boolean;
};

function sandboxApp() {
  const app = express();
  const policy = {
    emptyTtlMs: MINUTE,
    cartTtlMs: MINUTE,
    timeline: false,
    timelineLength: 1,
    saveUninitialized: false,
  };
  const secret = randomBytes(32).toString('hex');
  app.use(
    session({
      store: new session.MemoryStore(),
      name: COOKIE,
      secret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  // The shop's own commit: a regenerated session replaces the old one once it is stored.
  const refuse = (_err: unknown, _req: Request, res: express.Response) =>
    void res.status(503).json({ error: 'not stored' });
  app.use(saveBeforeAnswering(refuse, { cookieName: COOKIE, secrets: [secret] }));
  app.use((req, _res, next) => {
    req.shopSession = new ShopSession(req, policy);
    next();
  });
  const view = (req: Request) => ({
    id: req.sessionID,
    user: req.shopSession.user?.username ?? null,
    cartLines: req.shopSession.cart.lines.length,
  });
  app.post('/add', (req, res) => {
    req.shopSession.setCart({ lines: [{ productId: 'p-001', quantity: 1 }] }, 'cart.add');
    res.json(view(req));
  });
  app.post('/login', (req, res) => {
    const carried = req.shopSession.carryOver();
    regenerateSession(req); // the defence: a pre-login ID never becomes a logged-in one
    req.shopSession.restore(carried);
    req.shopSession.signIn({ id: 'sandbox', username: 'ravi' }, 'sandbox');
    res.json(view(req));
  });
  app.get('/whoami', (req, res) => res.json(view(req)));
  return app;
}

export async function runFixation(): Promise<FixationResult> {
  const server = sandboxApp().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  type Sent = { cookie?: string; id: string };
  const call = async (method: string, path: string, sent?: Sent) => {
    const cookie = sent?.cookie;
    const res = await fetch(base + path, { method, headers: cookie ? { cookie } : {} });
    const body = (await res.json()) as { id: string; user: string | null; cartLines: number };
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
    const view: SandboxView = {
      sentSessionId: sent ? shortId(sent.id) : null,
      sessionId: shortId(body.id),
      user: body.user,
      cartLines: body.cartLines,
      setCookie: !!set,
    };
    return { view, id: body.id, cookie: set?.split(';')[0] ?? cookie };
  };
  try {
    const guest = await call('POST', '/add');
    const member = await call('POST', '/login', guest);
    const replayOld = await call('GET', '/whoami', guest);
    const replayNew = await call('GET', '/whoami', member);
    return {
      beforeLogin: guest.view,
      afterLogin: member.view,
      replayOld: replayOld.view,
      replayNew: replayNew.view,
      oldIdStillValid: replayOld.id === guest.id,
    };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
