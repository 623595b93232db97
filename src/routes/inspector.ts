// The session inspector: what this shopper's session holds right now, what it takes
// in the store, its cookie part by part, and what the last requests did to it. On by
// default in development (SESSION_INSPECTOR); the labs (routes/lab.ts) come with it.
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { SessionData, Store } from 'express-session';
import type { Services } from '../services.js';
import { sessionCookie, storeLogOf } from '../session/setup.js';
import { shortId } from '../session/store/session-id.js';
import { wantsJson } from '../web/http/negotiate.js';
import { renderPage } from '../web/render/render.js';
import { redacted, requestViews, storedEntryView, timelineViews } from '../web/views/inspector-view.js';
import { cookieFacts, setCookieView } from '../web/views/set-cookie-view.js';

export function inspectorRoutes({ config, sessionStore, sessionStoreName }: Services) {
  const log = storeLogOf(sessionStore);
  return Router().get('/session', inspectSession);

  // GET /session — the inspector (the CSRF and checkout tokens are redacted)
  async function inspectSession(req: Request, res: Response) {
    const session = req.shopSession;
    const data = redacted(session.raw);
    const report = {
      sessionId: shortId(session.id),
      store: sessionStoreName,
      // What the store holds for this ID as this request began: not yet this request's own write.
      stored: storedEntryView(await readEntry(sessionStore, session.id)),
      cookie: cookieFacts(session.raw.cookie),
      setCookie: setCookieView(sessionCookie(config).name, session.id, session.raw.cookie),
      saveUninitialized: config.session.saveUninitialized,
      data,
      timeline: session.timeline,
      requests: requestViews(log?.recent(session.id) ?? [], config.session.saveUninitialized),
    };
    if (wantsJson(req)) {
      res.json(report);
      return;
    }
    renderPage(req, res, 'session', {
      title: 'Session inspector — Session Shop',
      ...report,
      dataJson: JSON.stringify(data, null, 2),
      timeline: timelineViews(report.timeline),
    });
  }
}

function readEntry(store: Store, id: string): Promise<SessionData | null | undefined> {
  return new Promise((resolve, reject) => store.get(id, (err, entry) => (err ? reject(err) : resolve(entry))));
}
