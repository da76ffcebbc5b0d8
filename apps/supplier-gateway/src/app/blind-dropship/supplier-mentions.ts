import type { BlindSlip } from './blind-slip';

/**
 * The fields of `slip` whose text names the supplier: its name or its id, in any case, as a whole
 * word or phrase ("Acme" is found in "Acme drill", not in "Acmeware"). The slip's type keeps the
 * supplier record out; this catches the supplier arriving through data, e.g. a product name
 * copied from the supplier's catalogue or a PO number built from the supplier id.
 */
export function findSupplierMentions(slip: BlindSlip, supplier: { readonly id: string; readonly name: string }): readonly string[] {
  const patterns = [supplier.name, supplier.id].map((needle) => needle.trim()).filter((needle) => needle !== '').map(wholeWords);
  if (patterns.length === 0) return [];
  return printedFields(slip)
    .filter(([, text]) => patterns.some((pattern) => pattern.test(text.normalize('NFKC'))))
    .map(([field]) => field);
}

/** Every text the slip prints, with a path naming where it comes from. */
function printedFields(slip: BlindSlip): readonly (readonly [field: string, text: string])[] {
  return [
    ['orderNumber', slip.orderNumber],
    ['poNumber', slip.poNumber],
    ['retailer.name', slip.retailer.name],
    ...slip.retailer.returnAddress.map((line, i) => [`retailer.returnAddress[${i}]`, line] as const),
    ...(slip.retailer.message === undefined ? [] : [['retailer.message', slip.retailer.message] as const]),
    ['shipTo.name', slip.shipTo.name],
    ...slip.shipTo.address.map((line, i) => [`shipTo.address[${i}]`, line] as const),
    ...slip.lines.flatMap((line, i) => [[`lines[${i}].sku`, line.sku] as const, [`lines[${i}].name`, line.name] as const]),
    ...(slip.invoice?.rows ?? []).map((row, i) => [`invoice.rows[${i}].label`, row.label] as const),
  ];
}

/** `needle` as a case-insensitive pattern that must not touch a letter or digit on either side. */
function wholeWords(needle: string): RegExp {
  const escaped = needle.normalize('NFKC').replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
}
