export { type BlindSlip, type BlindSlipLine, toBlindSlip } from './blind-slip';
export { PackingSlipInputError, SupplierMentionError } from './errors';
export { formatMoney } from './format-money';
export type { BlindDropshipPurchaseOrder, CustomerInvoice, PostalAddress, PurchaseOrderLine, RetailerBranding, ShipTo } from './purchase-order';
export { renderBlindPackingSlip } from './render-packing-slip';
export { findSupplierMentions } from './supplier-mentions';
