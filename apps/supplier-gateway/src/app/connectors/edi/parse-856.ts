import { mergeCarrier, readTd5, type CarrierRouting } from './carrier';
import { X12ParseError } from './errors';
import { assertType, parseInterchange, transactionSetsOfType, type X12TransactionSet } from './interchange';
import { optional } from './optional-field';
import { element, optionalElement, productIds, skusOf, type ProductId, type X12Segment } from './segment';
import { fromX12Date, optionalX12Date } from './x12-dates';
import { quantityOf } from './x12-numbers';

/** A tracking-like reference and where it came from, so the caller can prefer a real tracking number. */
export type TrackingNumber = {
  readonly value: string;
  /** REF*CN carrier's reference (PRO), REF*2I tracking number, MAN*CP carrier package id, MAN*GM SSCC-18 label. */
  readonly source: 'REF*CN' | 'REF*2I' | 'MAN*CP' | 'MAN*GM';
};

export type ShippedItem = {
  /** PRF01 of the order level above the item, when the file has one. */
  readonly poNumber?: string;
  /** LIN01 (else SN101): our PO line number, when the supplier echoes it. */
  readonly lineNumber?: string;
  /** SN102. */
  readonly quantity: number;
  readonly unitOfMeasure?: string;
  readonly sku?: string;
  readonly supplierSku?: string;
  readonly productIds: readonly ProductId[];
  /** Tracking numbers of the pack (and shipment) levels above the item: which box it is in. */
  readonly trackingNumbers: readonly TrackingNumber[];
};

export type Shipment = {
  readonly controlNumber: string;
  /** BSN02. */
  readonly shipmentId: string;
  /** BSN01: 00 original, 05 replace, 01 cancellation… */
  readonly purposeCode: string;
  /** DTM*011 (shipped), else BSN03 (the notice's date). */
  readonly shipDate?: string;
  /** DTM*017 or DTM*067 when sent. */
  readonly estimatedDeliveryDate?: string;
  readonly carrier?: CarrierRouting;
  /** Every tracking reference in the shipment, each once, in file order. */
  readonly trackingNumbers: readonly TrackingNumber[];
  /** Every PRF01 in the shipment, each once. */
  readonly poNumbers: readonly string[];
  readonly items: readonly ShippedItem[];
};

/** All shipments of all 856 sets in `text`. */
export function parse856(text: string): readonly Shipment[] {
  return transactionSetsOfType(parseInterchange(text), '856').flatMap(read856);
}

/** Hierarchy levels by rank, for files that leave HL02 empty: the nearest earlier node of a higher rank is the parent. */
const LEVEL_RANK: Readonly<Record<string, number>> = { S: 0, O: 1, T: 2, P: 3, I: 4 };
const TRACKING_REFS: Readonly<Record<string, TrackingNumber['source']>> = { CN: 'REF*CN', '2I': 'REF*2I' };
const TRACKING_MARKS: Readonly<Record<string, TrackingNumber['source']>> = { CP: 'MAN*CP', GM: 'MAN*GM' };

type ShipmentDraft = {
  shipDate?: string;
  estimatedDeliveryDate?: string;
  carrier?: CarrierRouting;
  trackingNumbers: TrackingNumber[];
  poNumbers: string[];
  items: ShippedItem[];
};

/** What a level inherits from the levels above it. */
type Context = {
  readonly shipment: ShipmentDraft;
  readonly poNumber?: string;
  readonly trackingNumbers: readonly TrackingNumber[];
};

type HlNode = { readonly id: string; readonly parentId: string; readonly level: string; readonly segments: X12Segment[] };

/**
 * Walks the HL tree (Shipment / Order / Tare / Pack / Item) by HL02 parent links, and by level
 * rank where a file omits them; levels a file leaves out simply contribute nothing, and a file
 * with no HL at all is read as one shipment.
 */
export function read856(set: X12TransactionSet): readonly Shipment[] {
  assertType(set, '856');
  const bsn = set.segments.find((segment) => segment.tag === 'BSN');
  if (bsn === undefined) throw new X12ParseError('missing-segment', `856 ${set.controlNumber}: no BSN segment`);
  const shipmentId = element(bsn, 2);
  if (shipmentId === '') throw new X12ParseError('invalid-value', `856 ${set.controlNumber}: BSN02 (shipment id) is empty`);
  const noticeDate = optionalX12Date(element(bsn, 3), 'BSN03');

  const { header, nodes } = splitHierarchy(set.segments);
  const defaults = newShipment();
  const headerContext = readLevel({ shipment: defaults, trackingNumbers: [] }, header, 'heading');

  const drafts: ShipmentDraft[] = [];
  const contexts = new Map<string, Context>();
  const seen: { node: HlNode; context: Context }[] = [];
  for (const node of nodes) {
    const parent = node.level === 'S' ? undefined : parentContext(node, contexts, seen);
    let base: Context;
    if (parent === undefined) {
      const shipment = { ...defaults, trackingNumbers: [...defaults.trackingNumbers], poNumbers: [...defaults.poNumbers], items: [...defaults.items] };
      drafts.push(shipment);
      base = { ...headerContext, shipment };
    } else {
      base = parent;
    }
    const context = readLevel(base, node.segments, `HL*${node.id}`);
    contexts.set(node.id, context);
    seen.push({ node, context });
  }

  const shipments = drafts.length > 0 ? drafts : [defaults];
  return shipments.map((draft) => ({
    controlNumber: set.controlNumber,
    shipmentId,
    purposeCode: element(bsn, 1),
    ...optional('shipDate', draft.shipDate ?? noticeDate),
    ...optional('estimatedDeliveryDate', draft.estimatedDeliveryDate),
    ...optional('carrier', draft.carrier),
    trackingNumbers: draft.trackingNumbers,
    poNumbers: draft.poNumbers,
    items: draft.items,
  }));
}

function splitHierarchy(segments: readonly X12Segment[]): { header: X12Segment[]; nodes: HlNode[] } {
  const header: X12Segment[] = [];
  const nodes: HlNode[] = [];
  segments.forEach((segment) => {
    if (segment.tag === 'HL') {
      nodes.push({ id: element(segment, 1), parentId: element(segment, 2), level: element(segment, 3), segments: [] });
    } else if (segment.tag !== 'BSN' && segment.tag !== 'CTT') {
      (nodes.at(-1)?.segments ?? header).push(segment);
    }
  });
  return { header, nodes };
}

function parentContext(node: HlNode, contexts: ReadonlyMap<string, Context>, seen: readonly { node: HlNode; context: Context }[]): Context | undefined {
  const linked = node.parentId === '' ? undefined : contexts.get(node.parentId);
  if (linked !== undefined) return linked;
  const rank = LEVEL_RANK[node.level] ?? LEVEL_RANK['I']!;
  for (let index = seen.length - 1; index >= 0; index--) {
    const candidate = seen[index]!;
    if ((LEVEL_RANK[candidate.node.level] ?? rank) < rank) return candidate.context;
  }
  return seen.at(-1)?.context;
}

/** Reads one level's own segments on top of what it inherits. */
function readLevel(base: Context, segments: readonly X12Segment[], where: string): Context {
  const shipment = base.shipment;
  let poNumber = base.poNumber;
  const trackingNumbers = [...base.trackingNumbers];
  const items: { lin?: X12Segment; sn1?: X12Segment; where: string }[] = [];

  for (const segment of segments) {
    switch (segment.tag) {
      case 'PRF': {
        poNumber = optionalElement(segment, 1) ?? poNumber;
        if (poNumber !== undefined && !shipment.poNumbers.includes(poNumber)) shipment.poNumbers.push(poNumber);
        break;
      }
      case 'TD5':
        shipment.carrier = mergeCarrier(shipment.carrier, readTd5(segment));
        break;
      case 'REF':
      case 'MAN': {
        const tracking = trackingOf(segment);
        if (tracking !== undefined) {
          trackingNumbers.push(tracking);
          if (!shipment.trackingNumbers.some((known) => known.value === tracking.value)) shipment.trackingNumbers.push(tracking);
        }
        break;
      }
      case 'DTM': {
        const qualifier = element(segment, 1);
        if (qualifier === '011') shipment.shipDate ??= fromX12Date(element(segment, 2), `${where} DTM*011`);
        if (qualifier === '017' || qualifier === '067') shipment.estimatedDeliveryDate ??= fromX12Date(element(segment, 2), `${where} DTM*${qualifier}`);
        break;
      }
      case 'LIN':
        items.push({ lin: segment, where: `${where} LIN` });
        break;
      case 'SN1': {
        const open = items.at(-1);
        if (open !== undefined && open.sn1 === undefined) open.sn1 = segment;
        else items.push({ sn1: segment, where: `${where} SN1` });
        break;
      }
      default:
        break;
    }
  }

  for (const item of items) shipment.items.push(toItem(item, poNumber, trackingNumbers));
  return { shipment, ...optional('poNumber', poNumber), trackingNumbers };
}

function toItem(item: { lin?: X12Segment; sn1?: X12Segment; where: string }, poNumber: string | undefined, trackingNumbers: readonly TrackingNumber[]): ShippedItem {
  if (item.sn1 === undefined) throw new X12ParseError('missing-segment', `856 ${item.where}: item has no SN1 (shipped quantity)`);
  const ids = item.lin === undefined ? [] : productIds(item.lin, 2);
  const lineNumber = (item.lin === undefined ? undefined : optionalElement(item.lin, 1)) ?? optionalElement(item.sn1, 1);
  return {
    ...optional('poNumber', poNumber),
    ...optional('lineNumber', lineNumber),
    quantity: quantityOf(element(item.sn1, 2), `856 ${item.where} SN102`),
    ...optional('unitOfMeasure', optionalElement(item.sn1, 3)),
    ...skusOf(ids),
    productIds: ids,
    trackingNumbers,
  };
}

function trackingOf(segment: X12Segment): TrackingNumber | undefined {
  const table = segment.tag === 'REF' ? TRACKING_REFS : TRACKING_MARKS;
  const source = table[element(segment, 1)];
  const value = optionalElement(segment, 2);
  return source === undefined || value === undefined ? undefined : { value, source };
}

function newShipment(): ShipmentDraft {
  return { trackingNumbers: [], poNumbers: [], items: [] };
}
