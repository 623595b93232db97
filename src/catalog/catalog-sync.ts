// Keeps the in-memory catalog in step with the database: an import on any machine
// moves catalog_version, and every instance, at most once a second, reads that one
// row and then only the products changed since the version it holds.
import type { Catalog } from './catalog.js';
import type { ImportSummary, ProductRepository } from './product-store.js';
import type { Product } from './products.js';

/** How often a busy instance asks whether the catalog moved: an import shows within about this. */
export const CATALOG_CHECK_MS = 1_000;

export class CatalogSync {
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking: Promise<void> | undefined;
  /** Told when a check fails (the app logs it); the catalog stays as it was, and the next check tries again. */
  onError: (err: unknown) => void = () => {};

  constructor(
    private readonly products: ProductRepository,
    private readonly catalog: Catalog,
  ) {}

  /** At start-up: an empty database takes the catalog file; then the catalog is what the database holds. */
  async start(seed: () => readonly Product[]): Promise<ImportSummary | undefined> {
    const summary = (await this.products.isEmpty()) ? await this.products.import(seed()) : undefined;
    const version = await this.products.version();
    this.catalog.replace(
      (await this.products.changedSince(-1)).filter((r) => r.active),
      version,
    );
    this.checkedAt = Date.now();
    return summary;
  }

  /**
   * Called on requests: undefined when the last check is recent enough (most
   * requests), else a check that every request arriving meanwhile shares. It never
   * rejects: a database that does not answer leaves the catalog as it was.
   */
  fresh(now = Date.now()): Promise<void> | undefined {
    if (this.checking !== undefined) return this.checking;
    if (now - this.checkedAt < CATALOG_CHECK_MS) return undefined;
    this.checkedAt = now;
    this.checking = this.check()
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  /** Reads the version now, and the products that changed if it moved. */
  async check(): Promise<void> {
    const version = await this.products.version();
    if (version === this.catalog.version) return;
    // A version behind ours: the database was replaced (a restore); load it whole.
    if (version < this.catalog.version)
      this.catalog.replace(
        (await this.products.changedSince(-1)).filter((r) => r.active),
        version,
      );
    else this.catalog.apply(await this.products.changedSince(this.catalog.version), version);
  }
}
