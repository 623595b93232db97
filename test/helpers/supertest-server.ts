// Every suite's supertest requests are served as production serves them: an Express
// app handed to supertest (`request(app)`, `request.agent(app)`) goes behind the
// store's own createHttpServer (src/web/http/http-server.ts) instead of Node's plain
// http.createServer, so the route tests exercise the request classes production runs.
// Registered for every test file in vitest.config.ts (setupFiles).
import type { Express } from 'express';
import { vi } from 'vitest';

vi.mock('supertest', async (importOriginal) => {
  const { default: supertest } = await importOriginal<{ default: typeof import('supertest') }>();
  const { createHttpServer } = await import('../../src/web/http/http-server.js');
  type App = Parameters<typeof supertest>[0];
  /** An Express app (it has app.request and app.response), served as in production; anything else as given. */
  const served = (app: App): App => (isExpressApp(app) ? createHttpServer(app) : app);
  const request = Object.assign(
    (app: App, options?: Parameters<typeof supertest>[1]) => supertest(served(app), options),
    {
      ...supertest,
      agent: (app?: App, options?: Parameters<typeof supertest.agent>[1]) =>
        supertest.agent(app === undefined ? app : served(app), options),
    },
  );
  return { default: request };
});

function isExpressApp(app: unknown): app is Express {
  return typeof app === 'function' && 'request' in app && 'response' in app && 'handle' in app;
}
