// The guided tour (development, with the inspector): a panel on every page saying
// which of seven steps the learner is on, what to do next, and what the last event
// changed in their session. Worked out from the session's timeline and the pages
// this session ID visited (session/store/store-log.ts): nothing is stored for it.
import type { NextFunction, Request, Response } from 'express';
import type { Catalog } from '../../catalog/catalog.js';
import type { StoreLog } from '../../session/store/store-log.js';
import { describeChange } from '../../session/timeline.js';

/** Where a step's link may lead: the page shown now, and a product page to open. */
type Places = { path: string; product: string };
type Step = { text: string; href: string | ((places: Places) => string); done: (facts: Facts) => boolean };
type Facts = { events: Set<string>; viewed: boolean; visited: Set<string> };

const onProductPage = (path: string) => path.startsWith('/products/');

const STEPS: Step[] = [
  {
    text: 'Open a product page.',
    href: (p) => p.product,
    done: (f) => f.viewed || [...f.visited].some((p) => p.startsWith('/products/')),
  },
  {
    text: 'Add a product to your cart: the cart lives in your session.',
    // The add form's quantity picker, on this product page or the one last viewed.
    href: (p) => (onProductPage(p.path) ? `${p.path}#quantity` : p.product),
    done: (f) => f.events.has('cart.add'),
  },
  {
    text: 'Open the session inspector to see what the server keeps for you.',
    href: '/session',
    done: (f) => f.visited.has('/session'),
  },
  {
    text: 'Log in (a demo account will do): your guest cart merges into the saved one.',
    href: '/login',
    done: (f) => f.events.has('login'),
  },
  {
    text: 'Open the inspector again: the login gave your session a new ID.',
    href: '/session',
    // The login regenerated the ID, so a visit logged under this ID came after it.
    done: (f) => f.events.has('login') && f.visited.has('/session'),
  },
  {
    text: 'Log out: the session is destroyed and a new one begins.',
    href: '/logout',
    done: (f) => f.events.has('logout'),
  },
  {
    text: 'Run the labs: replay an old session ID, and watch a lost update.',
    href: '/lab',
    done: (f) => [...f.visited].some((p) => p.startsWith('/lab')),
  },
];

/** The last event and each of its changes apart, so a phone wraps between changes, never inside one. */
export type LastChange = { event: string; changes: string[] };

export type TourView = {
  step: number;
  of: number;
  text: string;
  href: string;
  complete: boolean;
  lastChange: LastChange;
};

export function tourView(facts: Facts, lastChange: LastChange, places: Places): TourView {
  // Steps 1–6 in order, but a learner who logs in before opening the inspector has
  // done what came before: the furthest of them done counts. The labs come last.
  const last = STEPS.length - 1;
  let done = 0;
  for (let i = 0; i < last; i++) if (STEPS[i]?.done(facts)) done = i + 1;
  if (done === last && STEPS[last]?.done(facts)) done = STEPS.length;
  const next = STEPS[done];
  return {
    step: Math.min(done + 1, STEPS.length),
    of: STEPS.length,
    text: next?.text ?? 'Tour complete: every session mechanism, seen at work.',
    href: next === undefined ? '/session' : typeof next.href === 'string' ? next.href : next.href(places),
    complete: next === undefined,
    lastChange,
  };
}

/** Sets res.locals.tour for the layout's tour panel (views/partials/tour.hbs). */
export function tourPanel(log: StoreLog | undefined, catalog: Catalog) {
  return function tour(req: Request, res: Response, next: NextFunction) {
    const session = req.shopSession;
    const timeline = session.timeline;
    const visited = new Set((log?.recent(session.id) ?? []).map((t) => t.path));
    visited.add(req.path);
    const facts = { events: new Set(timeline.map((e) => e.event)), viewed: session.recentlyViewed.length > 0, visited };
    const last = timeline.at(-1);
    const lastChange = last
      ? { event: last.event, changes: (last.changed ?? []).map(describeChange) }
      : { event: 'Nothing yet.', changes: [] };
    // The product last viewed, else the first of the catalog.
    const product = [...session.recentlyViewed.map((id) => catalog.findById(id)), catalog.products[0]].find(Boolean);
    const places = { path: req.path, product: product ? `/products/${product.slug}` : '/' };
    res.locals.tour = tourView(facts, lastChange, places);
    next();
  };
}
