import { X12ParseError } from './errors';
import { assertType, singleTransactionSet, type X12TransactionSet } from './interchange';
import { optional } from './optional-field';
import { segmentLabel, element, optionalElement, productIds, skusOf, type ProductId, type X12Segment } from './segment';
import { fromX12Date, optionalX12Date } from './x12-dates';
import { quantityOf } from './x12-numbers';

export type QuantityReport = {
  /** QTY01: 33 available for sale, 17 on hand, 02 cumulative, … */
  readonly qualifier: string;
  /** QTY02; negative when a supplier reports oversold stock. */
  readonly quantity: number;
  readonly unitOfMeasure?: string;
};

export type InventoryItem = {
  readonly sku?: string;
  readonly supplierSku?: string;
  readonly productIds: readonly ProductId[];
  /** QTY*33 (available for sale), else QTY*17 (on hand); absent when the item reports neither. */
  readonly available?: number;
  /** DTM*018: when (more) stock will be available. */
  readonly availableDate?: string;
  readonly quantities: readonly QuantityReport[];
};

export type InventoryAdvice = {
  readonly controlNumber: string;
  /** BIA04 when sent. */
  readonly reportDate?: string;
  /** BIA02, e.g. DD distributor inventory report, MM manufacturer. */
  readonly reportType: string;
  /** BIA03. */
  readonly reference?: string;
  readonly items: readonly InventoryItem[];
};

/** Which QTY qualifiers mean "you may sell this many", best first. */
const AVAILABLE_QUALIFIERS = ['33', '17'] as const;

export function parse846(text: string): InventoryAdvice {
  return read846(singleTransactionSet(text, '846'));
}

export function read846(set: X12TransactionSet): InventoryAdvice {
  assertType(set, '846');
  const bia = set.segments.find((segment) => segment.tag === 'BIA');
  if (bia === undefined) throw new X12ParseError('missing-segment', `846 ${set.controlNumber}: no BIA segment`);

  const loops: { lin: X12Segment; index: number; qty: { segment: X12Segment; index: number }[]; dtm: X12Segment[] }[] = [];
  set.segments.forEach((segment, index) => {
    if (segment.tag === 'LIN') loops.push({ lin: segment, index, qty: [], dtm: [] });
    else if (segment.tag === 'QTY') loops.at(-1)?.qty.push({ segment, index });
    else if (segment.tag === 'DTM') loops.at(-1)?.dtm.push(segment);
  });

  return {
    controlNumber: set.controlNumber,
    ...optional('reportDate', optionalX12Date(element(bia, 4), 'BIA04')),
    reportType: element(bia, 2),
    ...optional('reference', optionalElement(bia, 3)),
    items: loops.map((loop) => {
      const ids = productIds(loop.lin, 2);
      const quantities = loop.qty.map(({ segment, index }) => readQuantity(segment, segmentLabel(segment, index)));
      const available = AVAILABLE_QUALIFIERS.map((qualifier) => quantities.find((report) => report.qualifier === qualifier)).find(
        (report) => report !== undefined,
      );
      const availableOn = loop.dtm.find((dtm) => element(dtm, 1) === '018');
      return {
        ...skusOf(ids),
        productIds: ids,
        ...optional('available', available?.quantity),
        ...optional('availableDate', availableOn === undefined ? undefined : fromX12Date(element(availableOn, 2), `${segmentLabel(loop.lin, loop.index)} DTM*018`)),
        quantities,
      };
    }),
  };
}

function readQuantity(qty: X12Segment, where: string): QuantityReport {
  return {
    qualifier: element(qty, 1),
    quantity: quantityOf(element(qty, 2), `${where} QTY02`),
    ...optional('unitOfMeasure', optionalElement(qty, 3)),
  };
}
