// createApp: the middleware order and the routers, with no listening and no
// global state, so tests can build as many apps as they like.
import compression from 'compression';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { accountRoutes } from './routes/account.js';
import { authRoutes } from './routes/auth.js';
import { cartRoutes } from './routes/cart.js';
import { catalogRoutes } from './routes/catalog.js';
import { checkoutRoutes } from './routes/checkout.js';
import { healthRoutes } from './routes/health.js';
import { inspectorRoutes } from './routes/inspector.js';
import { labRoutes } from './routes/lab.js';
import { orderRoutes } from './routes/orders.js';
import { preferenceRoutes } from './routes/preferences.js';
import type { Services } from './services.js';
import { attachShopSession } from './session/middleware.js';
import { authPolicy, sessionCookie, sessionMiddleware, sessionPolicy, storeLogOf } from './session/setup.js';
import { saveBeforeAnswering } from './session/store/commit.js';
import { serializeBySession } from './session/store/serialize.js';
import { handleErrors, notFound } from './web/errors/error-handler.js';
import { checkCsrf, refuseForeignWrites } from './web/http/csrf.js';
import { drainOf } from './web/http/drain.js';
import { requestLogger } from './web/http/logging.js';
import { readBody } from './web/http/read-body.js';
import { securityHeaders } from './web/http/security-headers.js';
import { newSessionLimiter } from './web/limits/new-session-limit.js';
import { tourPanel } from './web/views/tour.js';
import { configureViews, publicDir } from './web/views/views.js';

const BODY_LIMIT = '16kb';
/** What public/ holds: the stylesheet, the script, the product images and the icon. */
const ASSET_PATH = /^\/(?:css|js|images)\/|^\/favicon\.svg$/;

export function createApp(services: Services, logger: Logger): Express {
  const { config, metrics } = services;
  const app = express();
  app.disable('x-powered-by');
  // Every page and JSON answer is `Cache-Control: private, no-store` (below): no client
  // may keep one, so none will ever send an ETag back. Hashing each body for one is waste.
  app.set('etag', false);
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple'); // flat strings only: no nested objects from ?a[b]=c
  app.locals.inspector = config.session.inspector;
  app.locals.carts = services.carts; // the layout's cart badge is priced like the cart page (web/views/cart-view.ts)
  configureViews(app);

  // First: shutdown counts every request in flight (web/http/drain.ts); the access log keeps cookies out (web/http/logging.ts).
  // Then the request's time is taken, for GET /metrics on METRICS_PORT (metrics.ts).
  app.use(drainOf(app).track, metrics.timeRequests, requestLogger(app, logger));
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        directives: {
          'img-src': ["'self'", 'data:'],
          'style-src': ["'self'"],
          // Over plain http://localhost in development, upgrading would break every asset.
          'upgrade-insecure-requests': config.production ? [] : null,
        },
      },
      strictTransportSecurity: config.production,
    }),
  );

  // gzip or brotli for clients that say they take it (every browser does). A client
  // that does not skips the middleware altogether: nothing to negotiate, nothing to wrap.
  const compress = compression();
  app.use((req, res, next) => (req.headers['accept-encoding'] ? compress(req, res, next) : next()));

  // Before the session: static files and health checks never create one.
  // Only the asset paths reach express.static: a page request never pays for a stat()
  // of public/ and a discarded 404 on its way to the routes.
  const assets = express.static(publicDir, { maxAge: config.production ? '1d' : 0, index: false, fallthrough: false });
  app.use((req, res, next) => (ASSET_PATH.test(req.path) ? assets(req, res, next) : next()));
  app.use(healthRoutes(services, drainOf(app)));

  // Bodies are read (size-limited here, time-limited by the server's requestTimeout)
  // before the session lock is taken: a slow upload must not hold the shopper's session.
  app.use(
    readBody(
      express.json({ limit: BODY_LIMIT, strict: true }),
      express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 }),
    ),
  );

  const cookie = { cookieName: sessionCookie(config).name, secrets: config.session.secrets };
  // A write from another site, or one that can carry no token, never gets a session (web/http/csrf.ts).
  app.use(refuseForeignWrites(cookie));
  // A flood from one address cannot make sessions without end: without a cookie, and below
  // with a cookie whose session is gone.
  const newSessions = newSessionLimiter({
    ...cookie,
    perIpPerMinute: config.rateLimits.newSessionsPerIp,
    redis: services.redis,
    redisTimeoutMs: config.timeouts.storeMs,
  });
  app.use(newSessions.beforeSession);

  // lock → load → (handler changes) → save → answer → unlock: see session/store/serialize.ts and session/store/commit.ts.
  app.use(
    serializeBySession(services.lock, {
      ...cookie,
      waitMs: config.lock.waitMs,
      abandonAfterMs: config.lock.leaseMs,
      waited: (seconds) => metrics.lockWaited(seconds),
    }),
  );
  app.use(sessionMiddleware(config, services.sessionStore));
  metrics.countSessionsOf(services.sessionStore);
  // Every error answer, a refused session save's included, goes through here: counted, then answered.
  const answerError: ErrorRequestHandler = (err, req, res, next) => {
    metrics.refused(err);
    handleErrors(err, req, res, next);
  };
  app.use(saveBeforeAnswering((err, req, res) => answerError(err, req, res, () => {}), cookie));
  app.use(newSessions.afterSession);
  app.use(attachShopSession(sessionPolicy(config), authPolicy(config), services.now));
  // Pages differ per session: no shared cache may keep one shopper's page for another.
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });
  app.use(checkCsrf(cookie));
  if (config.session.tour) app.use(tourPanel(storeLogOf(services.sessionStore), services.catalog)); // web/views/tour.ts

  // An import on any instance shows here within about a second (catalog/catalog-sync.ts).
  services.catalogSync.onError = (err) => logger.warn({ err }, 'catalog check failed: serving the catalog as it was');
  app.use((_req, _res, next) => {
    const checking = services.catalogSync.fresh();
    if (checking === undefined) next();
    else void checking.then(() => next());
  });
  app.use(catalogRoutes(services));
  app.use(cartRoutes(services));
  app.use(preferenceRoutes(services));
  app.use(authRoutes(services));
  app.use(accountRoutes(services));
  app.use(checkoutRoutes(services));
  app.use(orderRoutes(services));
  if (config.session.inspector) app.use(inspectorRoutes(services), labRoutes(services));

  app.use(notFound);
  app.use(answerError);
  return app;
}
