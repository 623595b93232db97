// Register, log in, log out. Every change of identity gets a new session ID;
// logging in merges the guest cart into the saved one (see session/sign-in.ts).
// A name means its canonical key (accounts/usernames.ts): `RAVI` and `r.avi` log in
// as ravi, and neither can be registered next to it.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { accountMessages } from '../accounts/messages.js';
import { isReservedUsername, MIN_KEY_LENGTH, usernameKey } from '../accounts/usernames.js';
import { UsernameTakenError } from '../accounts/users.js';
import { emptyCart } from '../cart/cart.js';
import type { MergeReport } from '../cart/merge.js';
import type { Services } from '../services.js';
import { logout as endSession } from '../session/lifecycle.js';
import { sessionCookie } from '../session/setup.js';
import { signIn } from '../session/sign-in.js';
import { HttpError } from '../web/http/http-error.js';
import { wantsJson } from '../web/http/negotiate.js';
import { safeRedirect } from '../web/http/safe-redirect.js';
import { invalidInput, validate } from '../web/input/validate.js';
import { loginLimiters } from '../web/limits/login-limit.js';
import { registerLimiter } from '../web/limits/register-limit.js';
import { renderPage } from '../web/render/render.js';
import { cartJson } from '../web/views/cart-view.js';
import { demoAccountsToShow } from '../web/views/demo-view.js';
import { describeMerge } from '../web/views/merge-messages.js';

const credentials = z.object({
  username: z
    .string({ error: 'enter your username' })
    .trim()
    .min(1, { error: 'enter your username' })
    .max(64, { error: 'must be at most 64 characters' }),
  password: z
    .string({ error: 'enter your password' })
    .min(1, { error: 'enter your password' })
    .max(200, { error: 'must be at most 200 characters' }),
  returnTo: z.string().optional(),
});

const registration = credentials.extend({
  username: z
    .string({ error: 'enter a username' })
    .trim()
    .regex(/^[a-zA-Z0-9_.-]{3,32}$/, { error: 'must be 3–32 letters, digits, dots, dashes or underscores' })
    .refine((name) => usernameKey(name).length >= MIN_KEY_LENGTH, {
      error: `must contain at least ${MIN_KEY_LENGTH} letters or digits`,
    }),
  password: z
    .string({ error: 'enter a password' })
    .min(8, { error: 'must be at least 8 characters' })
    .max(200, { error: 'must be at most 200 characters' }),
});

export function authRoutes(services: Services) {
  const { users, carts, catalog, config } = services;
  const store = { redis: services.redis, redisTimeoutMs: config.timeouts.storeMs };
  const loginLimits = loginLimiters({
    ...store,
    perUsername: config.rateLimits.loginPerUsername,
    perIp: config.rateLimits.loginPerIp,
  });
  const registerLimit = registerLimiter({
    ...store,
    perIp: config.rateLimits.registerPerIp,
    malformed: (req) => !registration.safeParse(req.body ?? {}).success,
  });
  return Router()
    .get('/login', showLogin)
    .post('/login', ...loginLimits, login)
    .get('/register', showRegister)
    .post('/register', registerLimit, register)
    .get('/logout', confirmLogout)
    .post('/logout', logout);

  // GET /login — the form; ?returnTo= is carried through
  async function showLogin(req: Request, res: Response) {
    const loggedOut = req.query.loggedOut !== undefined;
    const demoAccounts = await demoAccountsToShow(config.production, users);
    renderPage(req, res, 'login', { ...formModel('login', req.query.returnTo), loggedOut, demoAccounts });
  }

  // POST /login — check the password, then sign in and merge the guest cart
  async function login(req: Request, res: Response) {
    const form = parseOrRerender(req, res, credentials, 'login');
    if (!form) return;
    const user = await users.verify(form.username, form.password);
    if (!user) return rerender(req, res, 'login', 401, accountMessages.invalidCredentials, form);
    const report = await signIn(req, user, services);
    await welcome(req, res, 200, form.returnTo, report, { elsewhere: accountMessages.welcomeBack(user.username) });
  }

  // GET /register — the form
  function showRegister(req: Request, res: Response) {
    renderPage(req, res, 'register', formModel('register', req.query.returnTo));
  }

  // POST /register — create the account and sign in exactly as a login does. Only after the
  // limit: "taken" tells whether a name exists, so it is rationed like a login attempt.
  async function register(req: Request, res: Response) {
    const form = parseOrRerender(req, res, registration, 'register');
    if (!form) return;
    // A reserved name reads as taken: no separate answer that would map out the reserved list.
    const user = isReservedUsername(form.username)
      ? undefined
      : await users.create(form.username, form.password).catch((err: unknown) => {
          if (err instanceof UsernameTakenError) return undefined;
          throw err;
        });
    if (!user) return rerender(req, res, 'register', 409, accountMessages.usernameTaken, form);
    // Refused from here on (the sign-in's reads, the session write), the name is free again.
    req.shopSession.undoIfRefused(() => users.remove(user.id));
    const report = await signIn(req, user, services, true);
    await welcome(req, res, 201, form.returnTo, report, {
      elsewhere: accountMessages.welcomeNew(user.username),
      onAccount: accountMessages.accountReady,
    });
  }

  // GET /logout — a confirm button only: GET must never change state
  function confirmLogout(req: Request, res: Response) {
    renderPage(req, res, 'logout', { title: 'Log out — Session Shop' });
  }

  // POST /logout — end the session (session/lifecycle.ts); the saved cart waits in the database
  async function logout(req: Request, res: Response) {
    const username = req.shopSession.user?.username;
    await endSession(req, res, sessionCookie(config));
    req.log?.info({ username }, 'logout');
    if (wantsJson(req)) {
      res.json({ cart: cartJson(carts.price(emptyCart())) });
      return;
    }
    res.redirect(303, '/login?loggedOut=1');
  }

  async function welcome(
    req: Request,
    res: Response,
    status: number,
    returnTo: string | undefined,
    report: MergeReport,
    greeting: { elsewhere: string; onAccount?: string },
  ) {
    const session = req.shopSession;
    const cart = cartJson(carts.price(session.cart));
    if (wantsJson(req)) {
      res.status(status).json({ user: { username: session.user?.username }, cart, merge: report });
      return;
    }
    const target = safeRedirect(returnTo, '/account');
    // The account page greets in its heading ("Welcome back, NAME"): once is enough.
    const text = greetsByName(target) ? greeting.onAccount : greeting.elsewhere;
    if (text !== undefined) session.flash('success', text);
    for (const { kind, text } of describeMerge(report, catalog)) session.flash(kind, text);
    res.redirect(303, target);
  }
}

/** The account page and its alias, which greet the member by name themselves. */
const greetsByName = (target: string) => /^\/(account|dashboard)(\?|#|$)/.test(target);

const LABELS = { username: 'Username', password: 'Password' };

/** Parses a login/register form; a browser gets the form back listing every error, JSON a 4xx. */
function parseOrRerender<S extends z.ZodType>(req: Request, res: Response, schema: S, view: 'login' | 'register') {
  const body: unknown = req.body ?? {};
  const result = validate(schema, body, LABELS);
  if (result.ok) return result.data;
  if (wantsJson(req) || typeof body !== 'object' || body === null) throw invalidInput(result.errors);
  const message = result.errors.map((e) => `${e.label}: ${e.message}.`).join(' ');
  rerender(req, res, view, 422, message, body);
  return undefined;
}

function rerender(
  req: Request,
  res: Response,
  view: 'login' | 'register',
  status: number,
  error: string,
  form: { username?: unknown; returnTo?: unknown },
) {
  if (wantsJson(req)) throw new HttpError(status, error);
  res.status(status);
  renderPage(req, res, view, {
    ...formModel(view, form.returnTo),
    error,
    username: typeof form.username === 'string' ? form.username : '',
  });
}

const FORMS = {
  login: { title: 'Log in — Session Shop', other: '/register' },
  register: { title: 'Create an account — Session Shop', other: '/login' },
} as const;

/** Both forms carry a same-site returnTo, and so does the link from one form to the other (encoded: it may hold a query). */
function formModel(view: 'login' | 'register', returnTo: unknown) {
  const { title, other } = FORMS[view];
  const target = safeRedirect(returnTo, '');
  return {
    title,
    returnTo: target,
    otherFormHref: target ? `${other}?${new URLSearchParams({ returnTo: target })}` : other,
  };
}
