// The server built by createHttpServer: requests and responses arrive already made
// with the app's prototypes (so Express has nothing to re-parent), and the shop
// behind it works as it does behind Node's own classes.
import { IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/web/http-server.js';
import { makeShop } from '../helpers/shop.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(app: Parameters<typeof createHttpServer>[0]) {
  server = createHttpServer(app, { requestTimeout: 5_000 });
  const arrived: Array<{ req: object; res: object }> = [];
  // Before the app's own listener: what Node built, before Express touches it.
  server.prependListener('request', (req, res) => {
    arrived.push({ req: Object.getPrototypeOf(req), res: Object.getPrototypeOf(res) });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, arrived };
}

describe('createHttpServer', () => {
  it("builds each request and response with the app's own prototypes", async () => {
    const { app } = await makeShop();
    const { url, arrived } = await serve(app);

    await (await fetch(`${url}/healthz`)).text();
    await (await fetch(`${url}/cart`, { headers: { accept: 'application/json' } })).text();

    expect(arrived).toHaveLength(2);
    for (const { req, res } of arrived) {
      expect(req).toBe(app.request);
      expect(res).toBe(app.response);
    }
  });

  it("keeps Node's classes underneath: instanceof, options and the request's own fields", async () => {
    const app = express(); // the shop answers unknown paths itself: a bare app for a route of the test's own
    const seen: unknown[] = [];
    app.get('/probe', (req, res) => {
      seen.push(req instanceof IncomingMessage, res instanceof ServerResponse, req.method, req.httpVersion);
      res.json({ ok: true });
    });
    const { url } = await serve(app);

    const res = await fetch(`${url}/probe`);

    expect(seen).toEqual([true, true, 'GET', '1.1']);
    expect(server?.requestTimeout).toBe(5_000);
    expect(res.status).toBe(200);
  });

  it('serves the shop as usual: a session, a cart change and the cart read back on one connection', async () => {
    const { app } = await makeShop();
    const { url } = await serve(app);
    const json = { accept: 'application/json', 'content-type': 'application/json' };

    const first = await fetch(`${url}/cart`, { headers: json });
    const cookie = first.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    await first.text();
    const added = await fetch(`${url}/cart/items`, {
      method: 'POST',
      headers: { ...json, cookie },
      body: JSON.stringify({ productId: 'p-002', quantity: 2 }),
    });
    const cart = await (await fetch(`${url}/cart`, { headers: { ...json, cookie } })).json();

    expect(cookie).toMatch(/^shop\.sid=/);
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ cart: { count: 2 } });
    expect(cart).toMatchObject({ cart: { count: 2, lines: [{ productId: 'p-002', quantity: 2 }] } });
  });
});
