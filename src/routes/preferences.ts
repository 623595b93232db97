// Preferences: sort, view, theme and page size, kept in the session for every
// shopper and saved with the account while logged in.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { prefsSchema } from '../accounts/users.js';
import type { Services } from '../services.js';
import { wantsJson } from '../web/negotiate.js';
import { parseInput } from '../web/parse-input.js';
import { safeRedirect } from '../web/safe-redirect.js';

const prefsBody = prefsSchema.extend({ returnTo: z.string().optional() });

export function preferenceRoutes({ users }: Services) {
  return Router().post('/preferences', updatePreferences);

  // POST /preferences — any of { sort, view, theme, pageSize }
  async function updatePreferences(req: Request, res: Response) {
    const { returnTo, ...body } = parseInput(prefsBody, req.body ?? {});
    const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    const session = req.shopSession;
    session.setPrefs(changes);
    const user = session.user;
    if (user) await users.savePrefs(user.id, session.chosenPrefs);
    if (wantsJson(req)) {
      res.json({ prefs: session.prefs });
      return;
    }
    res.redirect(303, safeRedirect(returnTo, '/'));
  }
}
