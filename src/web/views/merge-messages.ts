// Turns a login merge report into flash messages: every change to the shopper's cart
// is told, none happens silently. The sentences are cart/messages.ts's.
import type { MergeReport } from '../../cart/merge.js';
import { cartMessages } from '../../cart/messages.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { FlashMessage } from '../../session/data.js';

/** Lines added as asked are news; lines capped or dropped are warnings: not what the shopper asked for. */
export function describeMerge(report: MergeReport, catalog: Catalog): FlashMessage[] {
  const name = (id: string) => catalog.findById(id)?.name ?? `product ${id}`;
  const added = report.added.map((a) => cartMessages.mergeAdded(a.quantity, name(a.productId)));
  const adjusted = report.adjusted.map((a) =>
    cartMessages.mergeAdjusted(name(a.productId), a.requested, a.kept, a.reason),
  );
  const dropped = report.dropped.map((d) => cartMessages.mergeDropped(name(d.productId), d.reason));
  const as = (kind: FlashMessage['kind']) => (text: string) => ({ kind, text });
  return [...added.map(as('info')), ...adjusted.map(as('warning')), ...dropped.map(as('warning'))];
}
