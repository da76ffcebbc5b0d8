import { factKey, type SupplierFact } from './supplier-facts';

/** One PO as the supplier handled it, folded from its facts in any order. */
export interface PoRecord {
  readonly poId: string;
  readonly createdAt?: string;
  readonly confirmBy?: string;
  readonly shipBy?: string;
  readonly units: number;
  readonly lines: Readonly<Record<string, number>>;
  readonly dispatchedAt?: string;
  readonly acknowledgedAt?: string;
  readonly accepted?: number;
  readonly rejected?: number;
  readonly backordered?: number;
  readonly shipped: number;
  readonly firstShippedAt?: string;
  /** Units shipped per line: compared with what was ordered (facts may come in any order). */
  readonly shippedLines: Readonly<Record<string, number>>;
  readonly timedOut?: 'confirm' | 'ship';
  readonly cancelledBySupplier: number;
  readonly refused: number;
}

export interface ShipmentRecord {
  readonly poId: string;
  readonly at: string;
  readonly units: number;
  readonly trackingNumber: string;
  readonly trackingValid: boolean;
  readonly reportedAt: string;
}

/** Everything known about one supplier: the facts seen (by identity) and what they add up to. */
export interface SupplierHistory {
  readonly seen: Readonly<Record<string, true>>;
  readonly pos: Readonly<Record<string, PoRecord>>;
  readonly shipments: Readonly<Record<string, ShipmentRecord>>;
  readonly invoices: Readonly<Record<string, { readonly at: string; readonly disputed: boolean }>>;
  readonly returns: Readonly<Record<string, { readonly at: string; readonly units: number; readonly attributable: boolean }>>;
}

export const emptyHistory = (): SupplierHistory => ({ seen: {}, pos: {}, shipments: {}, invoices: {}, returns: {} });

const blankPo = (poId: string): PoRecord => ({ poId, units: 0, lines: {}, shipped: 0, shippedLines: {}, cancelledBySupplier: 0, refused: 0 });
const earlier = (a: string | undefined, b: string) => (a === undefined || Date.parse(b) < Date.parse(a) ? b : a);

/** Folds one fact; a fact seen before (same identity) changes nothing. Order does not matter. */
export function applyFact(history: SupplierHistory, fact: SupplierFact): SupplierHistory {
  const key = factKey(fact);
  if (history.seen[key]) return history;
  const seen = { ...history.seen, [key]: true as const };
  const po = (poId: string, change: (po: PoRecord) => PoRecord): SupplierHistory => ({
    ...history,
    seen,
    pos: { ...history.pos, [poId]: change(history.pos[poId] ?? blankPo(poId)) },
  });
  switch (fact.kind) {
    case 'po_created':
      return po(fact.poId, (p) => ({
        ...p,
        createdAt: fact.at,
        confirmBy: fact.confirmBy,
        shipBy: fact.shipBy,
        units: fact.units,
        lines: Object.fromEntries(fact.lines.map((l) => [l.lineId, l.quantity])),
      }));
    case 'po_dispatched':
      return po(fact.poId, (p) => ({ ...p, dispatchedAt: fact.at }));
    case 'po_acknowledged':
      return po(fact.poId, (p) => ({ ...p, acknowledgedAt: fact.at, accepted: fact.accepted, rejected: fact.rejected, backordered: fact.backordered }));
    case 'shipment': {
      const next = po(fact.poId, (p) => ({
        ...p,
        shipped: p.shipped + fact.units,
        shippedLines: fact.lines.reduce((c, l) => ({ ...c, [l.lineId]: (c[l.lineId] ?? 0) + l.quantity }), p.shippedLines),
        firstShippedAt: earlier(p.firstShippedAt, fact.at),
      }));
      return {
        ...next,
        shipments: {
          ...history.shipments,
          [fact.shipmentId]: { poId: fact.poId, at: fact.at, units: fact.units, trackingNumber: fact.trackingNumber, trackingValid: fact.trackingValid, reportedAt: fact.reportedAt },
        },
      };
    }
    case 'po_timed_out':
      return po(fact.poId, (p) => ({ ...p, timedOut: fact.deadline }));
    case 'po_cancelled':
      return fact.by === 'supplier' ? po(fact.poId, (p) => ({ ...p, cancelledBySupplier: p.cancelledBySupplier + fact.units })) : { ...history, seen };
    case 'message_refused':
      return po(fact.poId, (p) => ({ ...p, refused: p.refused + 1 }));
    case 'invoice':
      return { ...history, seen, invoices: { ...history.invoices, [`${fact.poId}:${fact.invoiceNumber}`]: { at: fact.at, disputed: fact.disputed } } };
    case 'return':
      return { ...history, seen, returns: { ...history.returns, [fact.returnId]: { at: fact.at, units: fact.units, attributable: fact.attributable } } };
    default: {
      const never: never = fact;
      return never;
    }
  }
}
