/**
 * One segment as plain data: `elements[0]` is XX01. The library's segment objects never leave
 * interchange.ts, so the readers below depend on this shape only.
 */
export type X12Segment = {
  readonly tag: string;
  readonly elements: readonly string[];
};

/** XXnn by its 1-based X12 position, trimmed ('' when absent): senders pad and leave trailing blanks. */
export function element(segment: X12Segment, position: number): string {
  return (segment.elements[position - 1] ?? '').trim();
}

/** XXnn when it has a value, otherwise undefined (for optional output fields). */
export function optionalElement(segment: X12Segment, position: number): string | undefined {
  const value = element(segment, position);
  return value === '' ? undefined : value;
}

/**
 * Where a segment sits, for error messages: "PO1 at segment 5", counted from ST = 1 as a 997's
 * AK3 counts, so a supplier's EDI team can find it. `index` is the position in `segments`.
 */
export function segmentLabel(segment: X12Segment, index: number): string {
  return `${segment.tag} at segment ${index + 2}`;
}

/**
 * Product/service id pairs (qualifier, id) from `from` onwards, as in PO106/PO107…, LIN02/LIN03…,
 * IT106/IT107…, ACK07/ACK08…; a pair with an empty id is skipped.
 */
export function productIds(segment: X12Segment, from: number, to: number = segment.elements.length): readonly ProductId[] {
  const ids: ProductId[] = [];
  for (let position = from; position + 1 <= to; position += 2) {
    const qualifier = element(segment, position);
    const id = element(segment, position + 1);
    if (qualifier !== '' && id !== '') ids.push({ qualifier, id });
  }
  return ids;
}

/** A product id with its X12 qualifier (VN vendor's item, SK stock keeping unit, BP buyer's part, UP UPC, EN EAN…). */
export type ProductId = {
  readonly qualifier: string;
  readonly id: string;
};

/** The skus the gateway matches on: ours (SK, else BP) and the supplier's (VN, else VP). */
export function skusOf(ids: readonly ProductId[]): { readonly sku?: string; readonly supplierSku?: string } {
  const find = (...qualifiers: readonly string[]): string | undefined => {
    for (const qualifier of qualifiers) {
      const match = ids.find((id) => id.qualifier === qualifier);
      if (match !== undefined) return match.id;
    }
    return undefined;
  };
  const sku = find('SK', 'BP');
  const supplierSku = find('VN', 'VP');
  return { ...(sku === undefined ? {} : { sku }), ...(supplierSku === undefined ? {} : { supplierSku }) };
}
