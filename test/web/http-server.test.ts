// The server built by createHttpServer: requests and responses arrive already made
// with the app's prototypes (so Express has nothing to re-parent), and the shop
// behind it works as it does behind Node's own classes.
import http, { IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, isPlainConstructor } from '../../src/web/http/http-server.js';
import { makeShop } from '../helpers/shop.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(app: Parameters<typeof createHttpServer>[0], how?: Parameters<typeof createHttpServer>[2]) {
  server = createHttpServer(app, { requestTimeout: 5_000 }, how);
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
    const connections: unknown[] = [];
    server?.on('connection', (socket) => connections.push(socket));
    const sockets = new Set<unknown>();
    server?.prependListener('request', (req) => sockets.add(req.socket));
    // One kept-alive socket at most: every request goes over the same connection.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, headers: Record<string, string>, body?: object) =>
      new Promise<{ status: number; cookie: string; body: unknown }>((resolve, reject) => {
        const req = http.request(`${url}${path}`, { agent, method: body ? 'POST' : 'GET', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              cookie: res.headers['set-cookie']?.[0]?.split(';')[0] ?? '',
              body: JSON.parse(text),
            }),
          );
        });
        req.on('error', reject);
        req.end(body ? JSON.stringify(body) : undefined);
      });
    const json = { accept: 'application/json', 'content-type': 'application/json' };

    try {
      const first = await send('/cart', json);
      const { cookie } = first;
      const added = await send('/cart/items', { ...json, cookie }, { productId: 'p-002', quantity: 2 });
      const cart = await send('/cart', { ...json, cookie });

      expect(cookie).toMatch(/^shop\.sid=/);
      expect(added.status).toBe(200);
      expect(added.body).toMatchObject({ cart: { count: 2 } });
      expect(cart.body).toMatchObject({ cart: { count: 2, lines: [{ productId: 'p-002', quantity: 2 }] } });
      expect(connections).toHaveLength(1);
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it("falls back to Node's own classes, with a warning, once they are no longer plain constructor functions", async () => {
    // What a future Node might ship: the same classes written with `class`, which
    // Reflect.apply cannot run on an object it did not make.
    const node = {
      IncomingMessage: class extends IncomingMessage {} as typeof IncomingMessage,
      ServerResponse: class extends ServerResponse {} as typeof ServerResponse,
    };
    const warnings: string[] = [];
    const { app } = await makeShop();
    const { url, arrived } = await serve(app, { node, warn: (message) => warnings.push(message) });

    const res = await fetch(`${url}/cart`, { headers: { accept: 'application/json' } });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ cart: { count: 0 } });
    expect(warnings).toEqual([expect.stringContaining('no longer plain constructor functions')]);
    // Built by those classes as they are: Express re-parents them, as in any Express app.
    expect(arrived).toEqual([{ req: node.IncomingMessage.prototype, res: node.ServerResponse.prototype }]);
  });

  it('warns through process warnings when no one is told', async () => {
    const node = { IncomingMessage: class extends IncomingMessage {} as typeof IncomingMessage, ServerResponse };
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    server = createHttpServer(express(), {}, { node });
    const warning = await warned;
    expect(warning.name).toBe('SessionShopWarning');
    expect(warning.message).toContain('IncomingMessage and ServerResponse');
  });

  it("does not warn while Node's classes are plain constructor functions", async () => {
    const warnings: string[] = [];
    const { app } = await makeShop();
    await serve(app, { warn: (message) => warnings.push(message) });
    expect(warnings).toEqual([]);
  });
});

describe('isPlainConstructor', () => {
  it("tells Node's http classes from what Reflect.apply cannot run", () => {
    function Old(this: object) {}
    expect([IncomingMessage, ServerResponse, Old].map(isPlainConstructor)).toEqual([true, true, true]);
    const bound = Old.bind({});
    expect([class {}, () => {}, bound, 'IncomingMessage', undefined].map(isPlainConstructor)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('the route suites', () => {
  it("send supertest's requests through createHttpServer, as production serves them", async () => {
    const app = express();
    app.get('/probe', (_req, res) => {
      res.json({ ok: true });
    });
    const arrivedAs: boolean[] = [];
    // What the server built, before Express re-parents it (app.handle is the app's entry).
    const entry = app as unknown as { handle: (req: object, res: object, next?: unknown) => void };
    const handle = entry.handle.bind(app);
    entry.handle = (req, res, next) => {
      arrivedAs.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
      handle(req, res, next);
    };

    await request(app).get('/probe').expect(200);
    await request.agent(app).get('/probe').expect(200);

    expect(arrivedAs).toEqual([true, true]);
  });
});
