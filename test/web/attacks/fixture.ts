// Shared set-up for the attack tables in this folder: known payloads, one table per
// class and one test per row, so that none of them can start working again unnoticed.
// CSRF and the security headers are covered in ../security.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type request from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import { json, makeShop, type Shop, visitor } from '../../helpers/shop.js';

export type Shopper = Awaited<ReturnType<typeof visitor>>;
export const RAVI = { username: 'ravi', password: 'ravi-demo-pass' };

/** Everything the session holds, as the inspector reports it. */
export async function snapshot(agent: request.Agent) {
  const res = await agent.get('/session').set(json).expect(200);
  return { data: res.body.data, timeline: res.body.timeline };
}

/** Starts a shop and an http server in front of it for the calling file, and returns accessors to them. */
export function attackShop() {
  let shop: Shop;
  let server: http.Server;
  beforeAll(async () => {
    shop = await makeShop();
    server = http.createServer(shop.app);
    // Wait for the port: a table whose first request is rawGet would otherwise find no address yet.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  return {
    shop: () => shop,

    async shopperWithCart(): Promise<Shopper> {
      const v = await visitor(shop);
      await v.agent.post('/cart/items').set(json).send({ productId: 'p-001', quantity: 2 }).expect(200);
      return v;
    },

    /** A request sent byte for byte as written: a client library would tidy `..` and odd encodings away. */
    rawGet(path: string, headers: Record<string, string> = {}) {
      const { port } = server.address() as AddressInfo;
      return new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
      });
    },
  };
}
