// Liveness for load balancers. Mounted before the session middleware, so a
// probe every few seconds never fills the session store.
import { Router } from 'express';

export function healthRoutes() {
  return Router().get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
}
