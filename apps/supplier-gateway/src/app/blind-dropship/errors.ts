/** A purchase order that cannot make a correct packing slip: missing retail prices, totals that do not add up, … */
export class PackingSlipInputError extends Error {
  override readonly name = 'PackingSlipInputError';
}

/**
 * The supplier's name or id occurs in what the slip would print (a product name, the retailer's
 * message, an address). Blind drop-shipping promises the customer never learns who shipped, so the
 * slip is refused rather than printed; `fields` says where, for whoever fixes the data.
 */
export class SupplierMentionError extends Error {
  override readonly name = 'SupplierMentionError';
  constructor(readonly fields: readonly string[]) {
    super(`the packing slip would name the supplier in ${fields.join(', ')}`);
  }
}
