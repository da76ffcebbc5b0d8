import { delimitersOf, renderInterchange, type X12Envelope } from './envelope';
import { X12RenderError } from './errors';
import { segment, valueWriter, type ValueWriter } from './render-values';
import type { X12Segment } from './segment';
import { unreachable } from './unreachable';
import { toX12Date } from './x12-dates';
import { formatQuantity } from './x12-numbers';

/** A PO line to take off the order (POC*…*DI). */
export type CancelledLine = {
  readonly lineNumber: string;
  /** The quantity originally ordered (POC03); nothing is left to receive. */
  readonly orderedQuantity: number;
  readonly supplierSku?: string;
  readonly sku?: string;
};

export type CancellationScope =
  | { readonly kind: 'whole-order' }
  | { readonly kind: 'lines'; readonly lines: readonly CancelledLine[] };

export type PurchaseOrderCancellation = {
  readonly poNumber: string;
  /** The original PO's date (BCH06 is mandatory), "YYYY-MM-DD". */
  readonly orderDate: string;
  readonly retailerOrderNumber?: string;
  readonly scope: CancellationScope;
  readonly skuQualifier?: 'SK' | 'BP';
};

/**
 * A PO change (860, version 4010) that cancels: the whole order (BCH01 '01' cancellation) or
 * some lines (BCH01 '04' change, with one POC per line and change code 'DI' delete item).
 */
export function render860Cancel(cancel: PurchaseOrderCancellation, envelope: X12Envelope): string {
  const write = valueWriter(delimitersOf(envelope));
  const scope = cancel.scope;
  const header = (purpose: '01' | '04'): X12Segment[] => [
    segment('BCH', purpose, 'DS', write.id(cancel.poNumber, 'poNumber', 22), '', '', toX12Date(cancel.orderDate, 'orderDate')),
    ...(cancel.retailerOrderNumber === undefined ? [] : [segment('REF', 'CO', write.id(cancel.retailerOrderNumber, 'retailerOrderNumber', 30))]),
  ];
  switch (scope.kind) {
    case 'whole-order':
      return renderInterchange(envelope, 'PC', '860', header('01'));
    case 'lines': {
      if (scope.lines.length === 0) throw new X12RenderError('scope.lines', 'a line cancellation needs at least one line');
      const pocs = scope.lines.map((line, index) => poc(line, `scope.lines[${index}]`, cancel.skuQualifier ?? 'SK', write));
      return renderInterchange(envelope, 'PC', '860', [...header('04'), ...pocs, segment('CTT', String(pocs.length))]);
    }
    default:
      return unreachable(scope);
  }
}

function poc(line: CancelledLine, field: string, skuQualifier: 'SK' | 'BP', write: ValueWriter): X12Segment {
  const ids = [
    ...(line.supplierSku === undefined ? [] : ['VN', write.id(line.supplierSku, `${field}.supplierSku`, 48)]),
    ...(line.sku === undefined ? [] : [skuQualifier, write.id(line.sku, `${field}.sku`, 48)]),
  ];
  // POC01 line, POC02 'DI' delete, POC03 ordered, POC04 left to receive (0), POC05 unit, POC06/07 price (unchanged, so empty), POC08… ids.
  return segment('POC', write.id(line.lineNumber, `${field}.lineNumber`, 20), 'DI', formatQuantity(line.orderedQuantity, `${field}.orderedQuantity`), '0', 'EA', '', '', ...ids);
}
