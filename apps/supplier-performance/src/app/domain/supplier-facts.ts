/**
 * What the performance service learns about a supplier, normalised from the PO, finance and
 * return events it consumes. Each fact carries the ids that make a duplicate recognisable, and
 * the time it happened (not when it arrived): facts may come late and out of order.
 */
export type SupplierFact =
  | {
      readonly kind: 'po_created';
      readonly poId: string;
      readonly at: string;
      readonly confirmBy: string;
      readonly shipBy: string;
      readonly units: number;
      readonly lines: readonly { readonly lineId: string; readonly sku: string; readonly quantity: number }[];
    }
  | { readonly kind: 'po_dispatched'; readonly poId: string; readonly at: string }
  | { readonly kind: 'po_acknowledged'; readonly poId: string; readonly at: string; readonly accepted: number; readonly rejected: number; readonly backordered: number }
  | {
      readonly kind: 'shipment';
      readonly poId: string;
      readonly shipmentId: string;
      readonly at: string;
      readonly units: number;
      readonly lines: readonly { readonly lineId: string; readonly quantity: number }[];
      readonly trackingNumber: string;
      readonly trackingValid: boolean;
      /** When the shipment notice reached us: an ASN more than a day after the shipment is late. */
      readonly reportedAt: string;
    }
  | { readonly kind: 'po_timed_out'; readonly poId: string; readonly at: string; readonly deadline: 'confirm' | 'ship' }
  | { readonly kind: 'po_cancelled'; readonly poId: string; readonly eventId: string; readonly at: string; readonly by: 'supplier' | 'retailer'; readonly units: number }
  | { readonly kind: 'message_refused'; readonly poId: string; readonly eventId: string; readonly at: string }
  | { readonly kind: 'invoice'; readonly poId: string; readonly invoiceNumber: string; readonly at: string; readonly disputed: boolean }
  | { readonly kind: 'return'; readonly returnId: string; readonly at: string; readonly units: number; readonly attributable: boolean };

/** The identity of a fact: the same identity twice is one fact. */
export function factKey(fact: SupplierFact): string {
  switch (fact.kind) {
    case 'po_created':
    case 'po_dispatched':
    case 'po_acknowledged':
    case 'po_timed_out':
      return `${fact.kind}:${fact.poId}`;
    case 'shipment':
      return `shipment:${fact.shipmentId}`;
    case 'po_cancelled':
    case 'message_refused':
      return `${fact.kind}:${fact.eventId}`;
    case 'invoice':
      return `invoice:${fact.poId}:${fact.invoiceNumber}`;
    case 'return':
      return `return:${fact.returnId}`;
    default: {
      const never: never = fact;
      return never;
    }
  }
}
