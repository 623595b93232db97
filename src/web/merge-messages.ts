// Turns a login merge report into sentences for the flash message: every
// change to the shopper's cart is told, none happens silently.
import type { MergeReport } from '../cart/merge.js';
import type { Catalog } from '../catalog/catalog.js';
import type { FlashMessage } from '../session/data.js';

const DROP_REASONS: Record<MergeReport['dropped'][number]['reason'], string> = {
  unavailable: 'it is no longer sold',
  'out-of-stock': 'it is sold out',
  'cart-full': 'your cart is full',
};

/** Lines added as asked are news; lines capped or dropped are warnings: not what the shopper asked for. */
export function describeMerge(report: MergeReport, catalog: Catalog): FlashMessage[] {
  const name = (id: string) => catalog.findById(id)?.name ?? `product ${id}`;
  const added = report.added.map((a) => `Added ${a.quantity} × ${name(a.productId)} from your guest cart.`);
  const adjusted = report.adjusted.map(
    (a) =>
      `${name(a.productId)}: you wanted ${a.requested}, your cart now has ${a.kept} (${
        a.reason === 'stock' ? 'all we have in stock' : 'the most per order'
      }).`,
  );
  const dropped = report.dropped.map((d) => `Removed ${name(d.productId)}: ${DROP_REASONS[d.reason]}.`);
  const as = (kind: FlashMessage['kind']) => (text: string) => ({ kind, text });
  return [...added.map(as('info')), ...adjusted.map(as('warning')), ...dropped.map(as('warning'))];
}
