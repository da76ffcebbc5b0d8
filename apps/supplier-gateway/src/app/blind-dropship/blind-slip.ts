import { add, MoneyError, money, sum, type Money } from '@oms/money';
import { PackingSlipInputError } from './errors';
import { formatMoney } from './format-money';
import type { BlindDropshipPurchaseOrder, PostalAddress, PurchaseOrderLine } from './purchase-order';
import { foldsWithoutLoss } from './win-ansi';

/**
 * Everything a blind packing slip prints, already as text, and nothing else: the type has no place
 * for a supplier or a wholesale cost, so the renderer, which sees only this, cannot print them.
 * Ship-from is the retailer at its return address.
 */
export type BlindSlip = {
  readonly issuedAt: Date;
  /** The date as the retailer's customers write it, in UTC so it does not depend on the server. */
  readonly issuedOn: string;
  readonly orderNumber: string;
  readonly poNumber: string;
  readonly retailer: {
    readonly name: string;
    readonly logoPng?: Uint8Array;
    readonly returnAddress: readonly string[];
    readonly message?: string;
  };
  readonly shipTo: { readonly name: string; readonly address: readonly string[] };
  readonly lines: readonly BlindSlipLine[];
  /** Present only when the retailer encloses a customer invoice. */
  readonly invoice?: { readonly rows: readonly { readonly label: string; readonly amount: string }[] };
};

export type BlindSlipLine = {
  readonly sku: string;
  readonly name: string;
  readonly quantity: string;
  /** Both present exactly when the slip has an invoice. */
  readonly unitPrice?: string;
  readonly lineTotal?: string;
};

const DEFAULT_LOCALE = 'en-US';

/**
 * The slip of `po`. Throws `PackingSlipInputError` for a PO that cannot make a correct one: no
 * lines, an invalid date or locale, a quantity that is not a positive whole number, a logo that is
 * not a PNG, an unknown currency, or an enclosed invoice with a line lacking its retail price or amounts that do not add
 * up to its total.
 */
export function toBlindSlip(po: BlindDropshipPurchaseOrder): BlindSlip {
  if (po.lines.length === 0) throw new PackingSlipInputError(`PO ${po.poNumber} has no lines`);
  if (Number.isNaN(po.issuedAt.getTime())) throw new PackingSlipInputError(`PO ${po.poNumber} has an invalid issue date`);
  const locale = checkedLocale(po.retailer.locale ?? DEFAULT_LOCALE);
  const price = (amount: number): string => guarded(() => priceText(amount, po.currency, locale));
  const invoice = po.customerInvoice;
  return {
    issuedAt: po.issuedAt,
    issuedOn: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(po.issuedAt),
    orderNumber: po.retailerOrderNumber,
    poNumber: po.poNumber,
    retailer: {
      name: po.retailer.name,
      ...(po.retailer.logoPng === undefined ? {} : { logoPng: checkedPng(po.retailer.logoPng) }),
      returnAddress: addressLines(po.retailer.returnAddress),
      ...(po.retailer.packingSlipMessage === undefined ? {} : { message: po.retailer.packingSlipMessage }),
    },
    shipTo: { name: po.shipTo.name, address: addressLines(po.shipTo.address) },
    lines: po.lines.map((line, index) => {
      const quantity = checkedQuantity(line, index);
      if (invoice === undefined) return { sku: line.sku, name: line.name, quantity };
      const retail = retailOf(line, index);
      return { sku: line.sku, name: line.name, quantity, unitPrice: price(retail.unitPrice), lineTotal: price(retail.lineTotal) };
    }),
    ...(invoice === undefined ? {} : { invoice: { rows: invoiceRows(po, price) } }),
  };
}

/** Subtotal, the adjustments, total; refused unless subtotal + adjustments = total exactly. */
function invoiceRows(po: BlindDropshipPurchaseOrder, price: (amount: number) => string): { label: string; amount: string }[] {
  const invoice = po.customerInvoice!;
  const amount = (minor: number): Money => guarded(() => money(minor, po.currency));
  const subtotal = guarded(() => sum(po.lines.map((line, index) => amount(retailOf(line, index).lineTotal)), po.currency));
  const adjusted = guarded(() => invoice.adjustments.reduce((total, row) => add(total, amount(row.amount)), subtotal));
  if (adjusted.amount !== invoice.total) {
    throw new PackingSlipInputError(
      `the customer invoice of PO ${po.poNumber} does not add up: ` +
        `subtotal and adjustments make ${price(adjusted.amount)}, total says ${price(invoice.total)}`,
    );
  }
  return [
    { label: 'Subtotal', amount: price(subtotal.amount) },
    ...invoice.adjustments.map((row) => ({ label: row.label, amount: price(row.amount) })),
    { label: 'Total', amount: price(invoice.total) },
  ];
}

function retailOf(line: PurchaseOrderLine, index: number): { readonly unitPrice: number; readonly lineTotal: number } {
  if (line.retail === undefined) {
    throw new PackingSlipInputError(`line ${index + 1} (${line.sku}) has no retail price, but a customer invoice is enclosed`);
  }
  return line.retail;
}

function checkedQuantity(line: PurchaseOrderLine, index: number): string {
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
    throw new PackingSlipInputError(`line ${index + 1} (${line.sku}) has quantity ${line.quantity}: a positive whole number is needed`);
  }
  return String(line.quantity);
}

/**
 * The locale's currency symbol when the slip's standard font has it ($ € £ ¥, or a stand-in such as
 * ¥ for the full-width ￥), else the ISO code ("INR 1,234.56" rather than "?1,234.56"): the one
 * place the slip's text bends to its font.
 */
function priceText(amount: number, currency: string, locale: string): string {
  const withSymbol = formatMoney(amount, currency, locale);
  return foldsWithoutLoss(withSymbol) ? withSymbol : formatMoney(amount, currency, locale, 'code');
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** The logo must be a PNG: caught here with a clear error rather than by pdfkit halfway through a document. */
function checkedPng(bytes: Uint8Array): Uint8Array {
  if (!PNG_SIGNATURE.every((byte, index) => bytes[index] === byte)) {
    throw new PackingSlipInputError('the retailer logo is not a PNG image');
  }
  return bytes;
}

function checkedLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0]!;
  } catch (error) {
    throw new PackingSlipInputError(`the retailer locale ${JSON.stringify(locale)} is not a BCP 47 language tag`, { cause: error });
  }
}

/** Street lines, then "City, Region PostalCode", then the country code: the US layout, legible everywhere. */
function addressLines(address: PostalAddress): readonly string[] {
  const region = address.region === undefined ? '' : ` ${address.region}`;
  return [...address.lines, `${address.city},${region} ${address.postalCode}`, address.country];
}

/** Money errors (unknown currency, unsafe amount) of a PO are input errors of the slip. */
function guarded<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof MoneyError) throw new PackingSlipInputError(error.message, { cause: error });
    throw error;
  }
}
