// securityHeaders (web/http/security-headers.ts) works helmet's headers out once: every
// response must carry exactly what helmet itself would have set.
import express from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/web/http/security-headers.js';

async function headersOf(middleware: express.RequestHandler) {
  const app = express()
    .use(middleware)
    .get('/', (_req, res) => {
      res.send('ok');
    });
  const { headers } = await request(app).get('/').expect(200);
  for (const varying of ['date', 'etag', 'content-length', 'connection', 'keep-alive']) delete headers[varying];
  return headers;
}

const CONFIGURATIONS: Record<string, HelmetOptions> = {
  'helmet’s defaults': {},
  'the store in production': {
    contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': [] } },
    strictTransportSecurity: true,
  },
  'the store in development': {
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
    strictTransportSecurity: false,
  },
};

describe('securityHeaders', () => {
  for (const [name, options] of Object.entries(CONFIGURATIONS)) {
    it(`sets what helmet sets, with ${name}`, async () => {
      const expected = await headersOf(helmet(options));
      expect(expected['content-security-policy']).toBeDefined();
      expect(await headersOf(securityHeaders(options))).toEqual(expected);
    });
  }

  it('refuses a configuration whose headers depend on the request', () => {
    const perRequest = { contentSecurityPolicy: { directives: { 'script-src': [() => "'nonce-abc'"] } } };
    // helmet calls such a directive with (req, res) on every request: nothing to work out in advance.
    expect(() => securityHeaders(perRequest)).toThrow(/per request/);
  });
});
