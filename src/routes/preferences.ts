// Preferences: sort, view, theme and page size, kept in the session for every
// shopper and saved with the account while logged in.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { prefsSchema } from '../catalog/prefs.js';
import type { Services } from '../services.js';
import type { Prefs } from '../session/data.js';
import { wantsJson } from '../web/http/negotiate.js';
import { safeRedirect } from '../web/http/safe-redirect.js';
import { parseInput } from '../web/input/parse-input.js';

const prefsBody = prefsSchema.extend({ returnTo: z.string().optional() });

export function preferenceRoutes({ users }: Services) {
  return Router().post('/preferences', updatePreferences);

  // POST /preferences — any of { sort, view, theme, pageSize }
  async function updatePreferences(req: Request, res: Response) {
    const { returnTo, ...body } = parseInput(prefsBody, req.body ?? {});
    const session = req.shopSession;
    // A JSON call names just what it sets; the no-JS form posts every drop-down.
    const changes = req.is('application/json') ? given(body) : changedPrefs(body, session.prefs);
    if (Object.keys(changes).length > 0) {
      const before = session.chosenPrefs;
      session.setPrefs(changes);
      const user = session.user;
      if (user) {
        const saved = session.chosenPrefs;
        await users.savePrefs(user.id, saved);
        // Taken back if the session write fails (session/take-back.ts): a refused change stays out of the account.
        session.undoIfRefused(() => users.putBackPrefs(user.id, saved, before));
      }
    }
    if (wantsJson(req)) {
      res.json({ prefs: session.prefs });
      return;
    }
    res.redirect(303, safeRedirect(returnTo, '/'));
  }
}

const given = (body: Partial<Prefs>): Partial<Prefs> =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));

/**
 * Only what differs from the shopper's current preferences. Without JavaScript the form
 * posts all four drop-downs; storing the three left alone would make them "chosen", and
 * at login a chosen preference wins over the member's saved one.
 */
function changedPrefs(body: Partial<Prefs>, current: Prefs): Partial<Prefs> {
  return Object.fromEntries(
    Object.entries(given(body)).filter(([key, value]) => value !== current[key as keyof Prefs]),
  );
}
