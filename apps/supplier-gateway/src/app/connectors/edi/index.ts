/**
 * EDI X12 codec for drop-ship suppliers: 850/860 out; 855, 856, 810, 846 (and 850) in. Pure
 * functions over text; node-x12 tokenizes and envelopes, nothing here does I/O.
 */
export * from './errors';
export type { X12Delimiters } from './delimiters';
export type { X12Segment, ProductId } from './segment';
export { parseInterchange, type X12Interchange, type X12InterchangeHeader, type X12GroupHeader, type X12TransactionSet } from './interchange';
export type { MoneyOptions } from './money-options';
export type { CarrierRouting } from './carrier';
export type { Party } from './party';
export type { LineDisposition, OrderAckStatus } from './ack-codes';
export { DEFAULT_DELIMITERS, type X12Envelope, type X12PartnerId, type OutboundDelimiters } from './envelope';
export { render850, type DropShipPurchaseOrder, type DropShipLine, type ConsumerShipTo, type RetailerParty, type ShipMethod } from './render-850';
export { render860Cancel, type PurchaseOrderCancellation, type CancellationScope, type CancelledLine } from './render-860';
export { parse850, read850, type PurchaseOrder, type OrderedLine } from './parse-850';
export { parse855, read855, type PurchaseOrderAcknowledgement, type AcknowledgedLine, type AckStatus } from './parse-855';
export { parse856, read856, type Shipment, type ShippedItem, type TrackingNumber } from './parse-856';
export { parse810, read810, type Invoice, type InvoiceLine, type AllowanceOrCharge } from './parse-810';
export { parse846, read846, type InventoryAdvice, type InventoryItem, type QuantityReport } from './parse-846';
export { formatMinorUnits, decimalToMinorUnits, impliedDecimalToMinorUnits } from './x12-numbers';
