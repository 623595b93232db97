// wantsJson remembers its answer per Accept header: each header must still get the
// answer Express's own negotiation gives it, whatever was asked before.
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { wantsJson } from '../../src/web/http/negotiate.js';

const app = express().get('/', (req, res) => {
  res.json({ remembered: wantsJson(req), express: req.accepts(['html', 'json']) === 'json' });
});

describe('wantsJson', () => {
  const ACCEPTS: Array<[string | undefined, boolean]> = [
    ['application/json', true],
    ['text/html', false],
    ['*/*', false],
    ['application/json, text/html;q=0.9', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
    ['application/json;q=0.5, text/html;q=0.4', true],
    [undefined, false],
  ];

  it('answers each Accept header as Express negotiates it, asked again and again in any order', async () => {
    for (const round of [ACCEPTS, [...ACCEPTS].reverse(), ACCEPTS]) {
      for (const [accept, json] of round) {
        const req = request(app).get('/');
        const res = await (accept === undefined ? req.unset('Accept') : req.set('Accept', accept));
        expect(res.body, accept ?? '(no Accept)').toEqual({ remembered: json, express: json });
      }
    }
  });
});
