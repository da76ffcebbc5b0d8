import { delimitersOf, renderInterchange, type X12Envelope } from './envelope';
import { X12RenderError } from './errors';
import { segment, valueWriter, type ValueWriter } from './render-values';
import type { X12Segment } from './segment';
import { toX12Date } from './x12-dates';
import { formatMinorUnits, formatQuantity } from './x12-numbers';

/** The consumer the supplier ships to directly (N1*ST loop). */
export type ConsumerShipTo = {
  readonly name: string;
  readonly company?: string;
  readonly address1: string;
  readonly address2?: string;
  readonly city: string;
  /** N402: two-letter state or province code. */
  readonly state?: string;
  readonly postalCode: string;
  /** N404: ISO 3166 country code. */
  readonly country?: string;
  /** Carriers need one for the label. */
  readonly phone?: string;
  readonly email?: string;
};

/** The retailer that sold the order and pays the supplier (N1*BY and N1*BT). */
export type RetailerParty = {
  readonly name: string;
  /** N103, e.g. '92' assigned by buyer; needs `id`. */
  readonly idQualifier?: string;
  readonly id?: string;
};

/** TD5: at least one of the three. */
export type ShipMethod = {
  readonly scac?: string;
  /** TD512, e.g. 'ND' next day, 'SG' standard ground. */
  readonly serviceLevel?: string;
  /** TD505, free text such as "UPS GROUND". */
  readonly routing?: string;
};

export type DropShipLine = {
  /** PO101: echoed back on the 855/856/810, so it is how answers find their line. */
  readonly lineNumber: string;
  readonly quantity: number;
  /** Unit price in minor units of the order's currency. */
  readonly unitPriceMinor: number;
  /** PO1 VN: the supplier's item number. */
  readonly supplierSku: string;
  /** PO1 SK (or BP): ours. */
  readonly sku: string;
  readonly description?: string;
};

export type DropShipPurchaseOrder = {
  readonly poNumber: string;
  /** "YYYY-MM-DD". */
  readonly orderDate: string;
  /** The retailer's order number, which the consumer knows (REF*CO). */
  readonly retailerOrderNumber: string;
  /** DTM*038 ship no later than, "YYYY-MM-DD". */
  readonly shipBy?: string;
  /** DTM*002 delivery requested, "YYYY-MM-DD". */
  readonly deliverBy?: string;
  readonly shipMethod?: ShipMethod;
  readonly shipTo: ConsumerShipTo;
  readonly retailer: RetailerParty;
  /** Minor-unit digits of the prices (2 for USD, 0 for JPY); the code goes into CUR02 when given. */
  readonly currency: { readonly exponent: number; readonly code?: string };
  readonly lines: readonly DropShipLine[];
  /** Qualifier for our sku in PO1: SK (stock keeping unit, default) or BP (buyer's part number). */
  readonly skuQualifier?: 'SK' | 'BP';
};

/** BEG02 'DS': the supplier ships to the consumer, not to us. */
const DROP_SHIP = 'DS';

/** A drop-ship purchase order (850, version 4010) as X12 text. */
export function render850(po: DropShipPurchaseOrder, envelope: X12Envelope): string {
  const write = valueWriter(delimitersOf(envelope));
  if (po.lines.length === 0) throw new X12RenderError('lines', 'a purchase order needs at least one line');
  const exponent = po.currency.exponent;
  const lineSegments = po.lines.flatMap((line, index) => poLine(line, `lines[${index}]`, exponent, po.skuQualifier ?? 'SK', write));
  assertUniqueLineNumbers(po.lines);
  const total = po.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
  if (!Number.isSafeInteger(total)) throw new X12RenderError('lines', 'the order total is beyond the safe integer range');

  const segments: X12Segment[] = [
    segment('BEG', '00', DROP_SHIP, write.id(po.poNumber, 'poNumber', 22), '', toX12Date(po.orderDate, 'orderDate')),
    ...(po.currency.code === undefined ? [] : [segment('CUR', 'BY', write.id(po.currency.code, 'currency.code', 3))]),
    segment('REF', 'CO', write.id(po.retailerOrderNumber, 'retailerOrderNumber', 30)),
    ...(po.shipBy === undefined ? [] : [segment('DTM', '038', toX12Date(po.shipBy, 'shipBy'))]),
    ...(po.deliverBy === undefined ? [] : [segment('DTM', '002', toX12Date(po.deliverBy, 'deliverBy'))]),
    ...(po.shipMethod === undefined ? [] : [td5(po.shipMethod, write)]),
    ...shipTo(po.shipTo, write),
    ...retailer('BY', po.retailer, write),
    ...retailer('BT', po.retailer, write),
    ...lineSegments,
    segment('CTT', String(po.lines.length), String(po.lines.reduce((sum, line) => sum + line.quantity, 0))),
    segment('AMT', 'TT', formatMinorUnits(total, exponent, 'lines')),
  ];
  return renderInterchange(envelope, 'PO', '850', segments);
}

function poLine(line: DropShipLine, field: string, exponent: number, skuQualifier: 'SK' | 'BP', write: ValueWriter): X12Segment[] {
  if (line.unitPriceMinor < 0) throw new X12RenderError(`${field}.unitPriceMinor`, 'is negative');
  const po1 = segment(
    'PO1',
    write.id(line.lineNumber, `${field}.lineNumber`, 20),
    formatQuantity(line.quantity, `${field}.quantity`),
    'EA',
    formatMinorUnits(line.unitPriceMinor, exponent, `${field}.unitPriceMinor`),
    'PE',
    'VN',
    write.id(line.supplierSku, `${field}.supplierSku`, 48),
    skuQualifier,
    write.id(line.sku, `${field}.sku`, 48),
  );
  const description = line.description === undefined ? '' : write.text(line.description, 80);
  return description === '' ? [po1] : [po1, segment('PID', 'F', '', '', '', description)];
}

function td5(method: ShipMethod, write: ValueWriter): X12Segment {
  const scac = method.scac === undefined ? undefined : write.id(method.scac, 'shipMethod.scac', 4);
  const routing = method.routing === undefined ? '' : write.text(method.routing, 35);
  const serviceLevel = method.serviceLevel === undefined ? undefined : write.id(method.serviceLevel, 'shipMethod.serviceLevel', 2);
  if (scac === undefined && routing === '' && serviceLevel === undefined) {
    throw new X12RenderError('shipMethod', 'needs a scac, a routing or a service level');
  }
  return segment('TD5', '', scac === undefined ? '' : '2', scac, '', routing, '', '', '', '', '', '', serviceLevel);
}

function shipTo(to: ConsumerShipTo, write: ValueWriter): X12Segment[] {
  const name = required(write.text(to.name, 60), 'shipTo.name');
  const company = to.company === undefined ? '' : write.text(to.company, 60);
  const address2 = to.address2 === undefined ? '' : write.text(to.address2, 55);
  const contact = [
    ...(to.phone === undefined ? [] : ['TE', write.id(to.phone, 'shipTo.phone', 80)]),
    ...(to.email === undefined ? [] : ['EM', write.id(to.email, 'shipTo.email', 80)]),
  ];
  return [
    segment('N1', 'ST', name),
    ...(company === '' ? [] : [segment('N2', company)]),
    segment('N3', required(write.text(to.address1, 55), 'shipTo.address1'), address2),
    segment(
      'N4',
      required(write.text(to.city, 30), 'shipTo.city'),
      to.state === undefined ? '' : write.id(to.state, 'shipTo.state', 2),
      write.id(to.postalCode, 'shipTo.postalCode', 15),
      to.country === undefined ? '' : write.id(to.country, 'shipTo.country', 3),
    ),
    ...(contact.length === 0 ? [] : [segment('PER', 'IC', '', ...contact)]),
  ];
}

function retailer(entity: 'BY' | 'BT', party: RetailerParty, write: ValueWriter): X12Segment[] {
  const name = required(write.text(party.name, 60), 'retailer.name');
  if ((party.idQualifier === undefined) !== (party.id === undefined)) {
    throw new X12RenderError('retailer', 'idQualifier and id go together');
  }
  const qualifier = party.idQualifier === undefined ? undefined : write.id(party.idQualifier, 'retailer.idQualifier', 2);
  const id = party.id === undefined ? undefined : write.id(party.id, 'retailer.id', 80);
  return [segment('N1', entity, name, qualifier, id)];
}

function required(value: string, field: string): string {
  if (value === '') throw new X12RenderError(field, 'is empty');
  return value;
}

function assertUniqueLineNumbers(lines: readonly DropShipLine[]): void {
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    if (seen.has(line.lineNumber)) throw new X12RenderError(`lines[${index}].lineNumber`, `${JSON.stringify(line.lineNumber)} is used twice`);
    seen.add(line.lineNumber);
  });
}
