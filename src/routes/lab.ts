// The session labs, on with the inspector: watch a lost update happen without the
// session lock and not with it, and watch a login make the old session ID worthless.
// Both run on sandbox sessions (src/lab/), never the learner's own or a shopper's.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { runFixation } from '../lab/fixation.js';
import { runLostUpdate } from '../lab/lost-update.js';
import type { Services } from '../services.js';
import { HttpError } from '../web/http/http-error.js';
import { wantsJson } from '../web/http/negotiate.js';
import { validate } from '../web/input/validate.js';
import { renderPage } from '../web/render/render.js';
import { fixationView, lostUpdateView, ownIdChanges } from '../web/views/lab-view.js';

export const MAX_ADDS = 50;
const DEFAULT_ADDS = 10;

// A blank form field means "the default", not zero.
const adds = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.coerce.number().int().min(2).max(MAX_ADDS).default(DEFAULT_ADDS),
);
const lostUpdateBody = z.object({ n: adds });

export function labRoutes({ config }: Services) {
  return Router().get('/lab', showLab).post('/lab/lost-update', lostUpdate).post('/lab/fixation', fixation);

  // GET /lab — both labs, ready to run
  function showLab(req: Request, res: Response) {
    renderLab(req, res, {});
  }

  // POST /lab/lost-update — n parallel adds (default 10) at two sandbox sessions, with and without the lock
  async function lostUpdate(req: Request, res: Response) {
    const form = validate(lostUpdateBody, req.body ?? {});
    if (!form.ok) throw new HttpError(400, `n must be a whole number from 2 to ${MAX_ADDS}`);
    const result = await runLostUpdate(form.data.n, config.lock.waitMs);
    if (wantsJson(req)) {
      res.json(result);
      return;
    }
    renderLab(req, res, { lostUpdate: lostUpdateView(result), n: form.data.n });
  }

  // POST /lab/fixation — a sandbox login, then a request replaying the pre-login session ID
  async function fixation(req: Request, res: Response) {
    const result = await runFixation();
    if (wantsJson(req)) {
      res.json(result);
      return;
    }
    renderLab(req, res, { fixation: fixationView(result) });
  }

  function renderLab(req: Request, res: Response, model: Record<string, unknown>) {
    renderPage(req, res, 'lab', {
      title: 'Session labs — Session Shop',
      n: DEFAULT_ADDS,
      maxAdds: MAX_ADDS,
      ownIds: ownIdChanges(req.shopSession.timeline),
      ...model,
    });
  }
}
