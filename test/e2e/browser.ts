// The browser and the server for the end-to-end suite: Debian's Chromium driven by
// playwright-core (never a downloaded browser), and the real app listening on a free
// port of 127.0.0.1. Without Chromium the suite skips with a line saying why; with
// REQUIRE_SERVICES=1 (set by .ci/run) a missing browser fails the run instead.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { makeShop, type Shop, type ShopOptions } from '../helpers/shop.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Quiet, offline and deterministic: no QUIC, no updates, no sync, no first-run UI.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Returns true when the suite can run; prints why when it cannot. */
export async function chromiumAvailable(): Promise<boolean> {
  const found = await access(CHROMIUM_PATH, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (found) return true;
  const why = `no Chromium executable at ${CHROMIUM_PATH}`;
  if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${why}, and REQUIRE_SERVICES=1 requires it`);
  console.warn(
    `Skipping the browser suite: ${why} (apt-get install chromium, or set CHROMIUM_PATH to point elsewhere).`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export type RunningShop = { shop: Shop; baseURL: string; close: () => Promise<void> };

/** The real app (SQLite :memory:, demo accounts) listening on a free local port. */
export async function startShop(options?: ShopOptions): Promise<RunningShop> {
  const shop = await makeShop(options);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = shop.app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    shop,
    baseURL: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from the browser would hold close() open until they time out.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
