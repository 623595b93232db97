// Health for load balancers and orchestrators. Mounted before the session
// middleware, so a probe every few seconds never fills the session store.
//   GET /healthz  liveness: the process answers. No dependency is asked, so a
//                 Redis outage never gets healthy instances restarted.
//   GET /readyz   readiness: may shoppers be sent here? Each dependency answers
//                 within READY_TIMEOUT_MS, and no shutdown has begun.
import { type Request, type Response, Router } from 'express';
import { databaseReady } from '../db/health.js';
import type { Services } from '../services.js';
import { withTimeout } from '../unavailable.js';
import type { Drain } from '../web/http/drain.js';

type Check = 'ok' | 'unavailable';

export function healthRoutes(services: Services, drain: Drain) {
  return Router()
    .get('/healthz', live)
    .get('/readyz', (_req, res) => ready(services, drain, res));
}

// GET /healthz
function live(_req: Request, res: Response) {
  res.set('Cache-Control', 'no-store').json({ status: 'ok' });
}

// GET /readyz
async function ready(services: Services, drain: Drain, res: Response) {
  res.set('Cache-Control', 'no-store');
  if (drain.draining) {
    res.status(503).json({ status: 'draining' });
    return;
  }
  const { readyMs } = services.config.timeouts;
  const [sessions, database] = await Promise.all([
    sessionsReady(services, readyMs),
    databaseReady(services.db, services.config.databaseUrl, readyMs),
  ]);
  const checks: Record<'sessions' | 'database', Check> = {
    sessions: sessions ? 'ok' : 'unavailable',
    database: database ? 'ok' : 'unavailable',
  };
  const allOk = sessions && database;
  res.status(allOk ? 200 : 503).json({ status: allOk ? 'ok' : 'unavailable', checks });
}

/** memorystore lives in this process; Redis must answer PING in time. */
async function sessionsReady({ redis }: Services, timeoutMs: number): Promise<boolean> {
  if (!redis) return true;
  try {
    await withTimeout(redis.ping(), timeoutMs, () => new Error('Redis readiness check timed out'));
    return true;
  } catch {
    return false;
  }
}
