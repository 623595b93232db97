// Dependencies in src/ point one way: from the process down to the database, never back.
// Every relative import of every file is read with TypeScript's own pre-parser (type-only
// imports and re-exports count: they tie the modules together all the same).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

/**
 * Top to bottom. A module may import from its own layer or any layer below it.
 * - process: the entry points (the server, the catalog import), the start/stop sequence and the logger, wiring everything else;
 * - routes: one router per area, each standing alone (they never import one another);
 * - services: the bag of repositories and stores the routes are handed (services.ts), and the metrics they feed;
 * - web: HTTP helpers shared by the routes, one folder a job (WEB_PARTS below);
 * - lab: the teaching demonstrations, which run the session machinery on a sandbox;
 * - session: the session's keys, lifetime and the shopper's live cart; in session/store/, the
 *   machinery under them: the locks, the stores, the save before answering, session IDs;
 * - domain: cart rules, catalog and preferences, accounts, orders; plain data and repositories;
 * - db: the connection, schema and migrations;
 * - base: configuration, the "service unavailable" error, the bounded map and the Redis client's type, which every layer may use.
 */
const LAYERS: { name: string; holds: string[] }[] = [
  { name: 'process', holds: ['server.ts', 'import-catalog.ts', 'app.ts', 'startup.ts', 'shutdown.ts', 'logger.ts'] },
  { name: 'routes', holds: ['routes/'] },
  { name: 'services', holds: ['services.ts', 'metrics.ts'] },
  { name: 'web', holds: ['web/'] },
  { name: 'lab', holds: ['lab/'] },
  { name: 'session', holds: ['session/'] },
  { name: 'domain', holds: ['cart/', 'catalog/', 'accounts/', 'orders/'] },
  { name: 'db', holds: ['db/'] },
  { name: 'base', holds: ['config.ts', 'unavailable.ts', 'bounded-map.ts', 'redis.ts'] },
];

/**
 * Inside web/, top to bottom, by the same rule: a folder imports from itself or the folders below.
 * - errors: what a thrown error becomes, a page or JSON with its status;
 * - render: pages rendered, and the catalog's cached;
 * - views: view models, the words and numbers a page shows;
 * - input: bodies and queries, validated into plain values;
 * - limits: the rate limits and their counts;
 * - http: the server and each request's plumbing (body, negotiation, CSRF, ids, logs).
 */
const WEB_PARTS = ['web/errors/', 'web/render/', 'web/views/', 'web/input/', 'web/limits/', 'web/http/'];

/**
 * The domain's folders, top to bottom: an account keeps a saved cart and preferences, an
 * order is priced and shipped by the cart's rules, the catalog's stock caps a cart line.
 */
const DOMAIN_PARTS = ['accounts/', 'orders/', 'catalog/', 'cart/'];

/** Index into LAYERS (0 = top), or undefined for a file no layer holds. */
function layerOf(file: string): number | undefined {
  const index = LAYERS.findIndex((layer) =>
    layer.holds.some((held) => (held.endsWith('/') ? file.startsWith(held) : file === held)),
  );
  return index === -1 ? undefined : index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path).split('\\').join('/')] : [];
  });
}

/** `from` and `to` relative to src/, e.g. routes/cart.ts → web/render/render.ts. */
type Edge = { from: string; to: string };

function importsOf(file: string): Edge[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(SRC, file), 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({
      from: file,
      to: posix.normalize(posix.join(dirname(file), specifier)).replace(/\.js$/, '.ts'),
    }));
}

/** Every import that climbs a layer, or that reaches from one route module into another. */
function wrongWay(edges: Edge[]): string[] {
  return edges
    .filter(({ from, to }) => {
      const [above, below] = [layerOf(from), layerOf(to)];
      if (above === undefined || below === undefined) return false; // reported by the next test
      const routeToRoute = from.startsWith('routes/') && to.startsWith('routes/');
      return below < above || routeToRoute;
    })
    .map(({ from, to }) => `${from} → ${to}`);
}

/** Every import from one of `parts` up into another (both ends in `parts`; top first). */
function wrongWayWithin(edges: Edge[], parts: string[]): string[] {
  const partOf = (file: string) => parts.findIndex((part) => file.startsWith(part));
  return edges
    .filter(({ from, to }) => {
      const [above, below] = [partOf(from), partOf(to)];
      return above !== -1 && below !== -1 && below < above;
    })
    .map(({ from, to }) => `${from} → ${to}`);
}

const files = sourceFiles(SRC);
const edges = files.flatMap(importsOf);

describe('the layers of src/', () => {
  it('reads the imports of every source file', () => {
    // A guard for the tests below: an empty or partial read would let them pass.
    expect(files).toContain('routes/cart.ts');
    expect(edges).toContainEqual({ from: 'routes/cart.ts', to: 'cart/rules.ts' });
    expect(edges).toContainEqual({ from: 'app.ts', to: 'routes/cart.ts' });
  });

  it('places every source file in a layer', () => {
    expect(files.filter((file) => layerOf(file) === undefined)).toEqual([]);
  });

  it('imports only from the same layer or the layers below', () => {
    expect(wrongWay(edges)).toEqual([]);
  });

  it('reports an import that climbs a layer, and one route module reaching into another', () => {
    expect(
      wrongWay([
        { from: 'catalog/catalog.ts', to: 'session/data.ts' },
        { from: 'routes/cart.ts', to: 'routes/catalog.ts' },
        { from: 'web/render/render.ts', to: 'cart/cart.ts' },
        { from: 'cart/pricing.ts', to: 'cart/shipping.ts' },
      ]),
    ).toEqual(['catalog/catalog.ts → session/data.ts', 'routes/cart.ts → routes/catalog.ts']);
  });

  it('inside web/, imports only from the same folder or the folders below', () => {
    expect(files.filter((file) => /^web\/[^/]+$/.test(file)).length).toBeLessThanOrEqual(12);
    expect(wrongWayWithin(edges, WEB_PARTS)).toEqual([]);
  });

  it('inside the domain, imports one way: accounts → orders → catalog → cart', () => {
    expect(edges).toContainEqual({ from: 'orders/orders.ts', to: 'cart/shipping.ts' });
    expect(wrongWayWithin(edges, DOMAIN_PARTS)).toEqual([]);
  });

  it('reports a folder reaching up within web/ or the domain', () => {
    const sideways = [
      { from: 'web/http/csrf.ts', to: 'web/views/cart-view.ts' },
      { from: 'web/render/render.ts', to: 'web/http/negotiate.ts' },
      { from: 'cart/pricing.ts', to: 'orders/orders.ts' },
      { from: 'accounts/users.ts', to: 'cart/rules.ts' },
    ];
    expect(wrongWayWithin(sideways, WEB_PARTS)).toEqual(['web/http/csrf.ts → web/views/cart-view.ts']);
    expect(wrongWayWithin(sideways, DOMAIN_PARTS)).toEqual(['cart/pricing.ts → orders/orders.ts']);
  });
});
