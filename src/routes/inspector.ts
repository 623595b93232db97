// The session inspector: what this shopper's session holds right now and what
// the last steps did to it. On by default in development (SESSION_INSPECTOR).
import { type Request, type Response, Router } from 'express';
import type { Services } from '../services.js';
import { shortId } from '../session/sign-in.js';
import { wantsJson } from '../web/negotiate.js';
import { renderPage } from '../web/render.js';

export function inspectorRoutes({ sessionStoreName }: Services) {
  return Router().get('/session', inspectSession);

  // GET /session — the inspector (the CSRF and checkout tokens are redacted)
  function inspectSession(req: Request, res: Response) {
    const session = req.shopSession;
    const data = session.snapshot();
    const report = {
      sessionId: shortId(session.id),
      cookie: session.cookie,
      store: sessionStoreName,
      sizeBytes: Buffer.byteLength(JSON.stringify(data)),
      data,
      timeline: session.timeline,
    };
    if (wantsJson(req)) {
      res.json(report);
      return;
    }
    renderPage(req, res, 'session', {
      title: 'Session inspector — Session Shop',
      ...report,
      dataJson: JSON.stringify(data, null, 2),
      cookieJson: JSON.stringify(report.cookie, null, 2),
      timeline: [...report.timeline]
        .reverse()
        .map((e) => ({ ...e, detailJson: e.detail ? JSON.stringify(e.detail) : '' })),
    });
  }
}
