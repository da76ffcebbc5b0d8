import { toBlindSlip } from './blind-slip';
import { SupplierMentionError } from './errors';
import type { BlindDropshipPurchaseOrder } from './purchase-order';
import { renderSlipPdf } from './slip-pdf';
import { findSupplierMentions } from './supplier-mentions';

/**
 * The blind drop-ship packing slip of `po` as PDF bytes, the same bytes for the same PO.
 *
 * The PO goes through `toBlindSlip` first, which keeps only what the customer may see, so the
 * supplier's name and id and the wholesale costs cannot reach the document; then the supplier's
 * name and id are searched for in that text in case data brought them in. Rejects with
 * `PackingSlipInputError` for a PO that cannot make a correct slip and `SupplierMentionError` when
 * the slip would name the supplier.
 */
export async function renderBlindPackingSlip(po: BlindDropshipPurchaseOrder): Promise<Buffer> {
  const slip = toBlindSlip(po);
  const mentions = findSupplierMentions(slip, po.supplier);
  if (mentions.length > 0) throw new SupplierMentionError(mentions);
  return renderSlipPdf(slip);
}
