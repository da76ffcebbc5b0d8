import type { PersonalData } from '@oms/privacy';
import { subjectOf } from '@oms/privacy';
import { createHash } from 'node:crypto';
import { renderBlindPackingSlip } from '../blind-dropship';
import { render850, render860Cancel, type X12Envelope } from '../connectors/edi';
import { openUnits, type OpenPo } from '../domain/purchase-order';
import type { LineUnits, PoAddress } from '../domain/purchase-order-events';
import type { SupplierSettings } from '../domain/supplier';
import type { GatewayEnv } from '../gateway.env';
import type { Branding } from './branding';

type Po = OpenPo['po'];

const day = (iso: string) => iso.slice(0, 10);
const exponentOf = (currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/**
 * Interchange control numbers derived from the PO and the document, so re-rendering after a crash
 * sends the same numbers (the supplier's duplicate check then works for us).
 */
function controlNumber(poId: string, document: string): number {
  return (parseInt(createHash('sha256').update(`${poId}/${document}`).digest('hex').slice(0, 8), 16) % 999_999_999) + 1;
}

function envelope(po: Po, edi: NonNullable<SupplierSettings['edi']>, env: GatewayEnv, document: string, at: Date): X12Envelope {
  const n = controlNumber(po.poId, document);
  return {
    sender: { qualifier: env.EDI_SENDER_QUALIFIER, id: edi.ourId || env.EDI_SENDER_ID },
    receiver: { qualifier: edi.supplierQualifier, id: edi.supplierId },
    interchangeControlNumber: n,
    groupControlNumber: n,
    transactionSetControlNumber: n % 10_000,
    createdAt: at,
    usage: 'P',
  };
}

/** The drop-ship 850: ship-to is the consumer, the retailer is buyer and bill-to. */
export function purchaseOrder850(po: Po, settings: SupplierSettings, env: GatewayEnv, brand: Branding): string {
  if (!settings.edi) throw new Error(`Supplier ${po.supplierId} has no EDI settings`);
  return render850(
    {
      poNumber: po.poNumber,
      orderDate: day(po.createdAt),
      retailerOrderNumber: po.orderNumber ?? po.orderId,
      shipBy: day(po.shipBy),
      deliverBy: day(po.deliverBy),
      ...(po.shipMethod ? { shipMethod: { routing: po.shipMethod } } : {}),
      shipTo: {
        name: po.shipTo.name,
        ...(po.shipTo.company ? { company: po.shipTo.company } : {}),
        address1: po.shipTo.line1,
        ...(po.shipTo.line2 ? { address2: po.shipTo.line2 } : {}),
        city: po.shipTo.city,
        ...(po.shipTo.region ? { state: po.shipTo.region } : {}),
        postalCode: po.shipTo.postalCode ?? '',
        country: po.shipTo.country,
        ...(po.shipTo.phone ? { phone: po.shipTo.phone } : {}),
      },
      retailer: { name: brand.name },
      currency: { exponent: exponentOf(po.currency), code: po.currency },
      lines: po.lines.map((l) => ({
        lineNumber: String(l.lineNumber),
        quantity: l.quantity,
        unitPriceMinor: l.unitCost,
        supplierSku: l.supplierSku ?? l.sku,
        sku: l.sku,
        ...(l.name ? { description: l.name } : {}),
      })),
    },
    envelope(po, settings.edi, env, '850', new Date(po.createdAt)),
  );
}

/** An 860 taking lines (or the whole PO) off the supplier's books. */
export function cancellation860(po: Po, settings: SupplierSettings, env: GatewayEnv, lines: readonly LineUnits[] | 'all', key: string, at: Date): string {
  if (!settings.edi) throw new Error(`Supplier ${po.supplierId} has no EDI settings`);
  return render860Cancel(
    {
      poNumber: po.poNumber,
      orderDate: day(po.createdAt),
      retailerOrderNumber: po.orderNumber ?? po.orderId,
      scope:
        lines === 'all'
          ? { kind: 'whole-order' }
          : {
              kind: 'lines',
              lines: po.lines
                .filter((l) => lines.some((c) => c.lineId === l.lineId))
                .map((l) => ({ lineNumber: String(l.lineNumber), orderedQuantity: l.quantity, supplierSku: l.supplierSku ?? l.sku, sku: l.sku })),
            },
    },
    envelope(po, settings.edi, env, `860/${key}`, at),
  );
}

const postal = (a: PoAddress) => ({
  lines: [a.line1, ...(a.line2 ? [a.line2] : [])],
  city: a.city,
  ...(a.region ? { region: a.region } : {}),
  postalCode: a.postalCode ?? '',
  country: a.country,
});

export class BrandingMissingError extends Error {
  override readonly name = 'BrandingMissingError';
}

/** The blind packing slip: the retailer's brand and return address; no supplier, no costs. */
export function packingSlip(po: Po, supplierName: string, brand: Branding): Promise<Buffer> {
  if (!brand.returnAddress) throw new BrandingMissingError('BRAND_RETURN_ADDRESS is not configured: a blind packing slip needs the retailer’s return address');
  return renderBlindPackingSlip({
    poNumber: po.poNumber,
    retailerOrderNumber: po.orderNumber ?? po.orderId,
    issuedAt: new Date(po.createdAt),
    currency: po.currency,
    supplier: { id: po.supplierId, name: supplierName },
    retailer: {
      name: brand.name,
      ...(brand.logo ? { logoPng: brand.logo } : {}),
      returnAddress: postal(brand.returnAddress),
      ...(brand.message ? { packingSlipMessage: brand.message } : {}),
    },
    shipTo: { name: po.shipTo.name, address: postal(po.shipTo) },
    lines: po.lines.map((l) => ({ sku: l.sku, name: l.name ?? l.sku, quantity: l.quantity, wholesaleUnitCost: l.unitCost })),
  });
}

/**
 * The PO with the customer's ship-to opened, for a document that goes to its supplier now. The PO
 * keeps it sealed; it is opened only here, at the moment of use (after the customer's erasure it
 * reads `[erased]`). A supplier gets what shipping needs — the recipient's name, company, address
 * and phone — and nothing else of the customer (no email: the gateway never receives it).
 */
export async function withShipToOpened<T extends OpenPo>(personal: PersonalData, state: T): Promise<T> {
  const a = await personal.openDeep(state.po.shipTo);
  const shipTo: PoAddress = {
    name: a.name,
    ...(a.company ? { company: a.company } : {}),
    line1: a.line1,
    ...(a.line2 ? { line2: a.line2 } : {}),
    city: a.city,
    ...(a.region ? { region: a.region } : {}),
    ...(a.postalCode ? { postalCode: a.postalCode } : {}),
    country: a.country,
    ...(a.phone ? { phone: a.phone } : {}),
  };
  return { ...state, po: { ...state.po, shipTo } };
}

/**
 * A document that carries the customer's ship-to, sealed under the customer's key before it is
 * recorded (the PO keeps what was sent, for disputes, until the customer's data is erased).
 */
export async function sealedDocument(personal: PersonalData, po: Po, document: string): Promise<string> {
  const subjectId = subjectOf(po.shipTo.name);
  return subjectId ? personal.seal(subjectId, document) : document;
}

/** The PO as JSON for webhook and API suppliers: theirs to fulfil, so their cost is on it. Give it the PO `withShipToOpened`. */
export function purchaseOrderJson(state: OpenPo) {
  const { po } = state;
  return {
    poId: po.poId,
    poNumber: po.poNumber,
    orderNumber: po.orderNumber ?? null,
    status: state.status,
    currency: po.currency,
    lines: po.lines.map((l) => ({ lineNumber: l.lineNumber, lineId: l.lineId, sku: l.sku, supplierSku: l.supplierSku ?? null, name: l.name ?? null, quantity: l.quantity, unitCost: l.unitCost, open: openUnits(state, l.lineId) })),
    shipTo: po.shipTo,
    shipMethod: po.shipMethod ?? null,
    confirmBy: po.confirmBy,
    shipBy: po.shipBy,
    deliverBy: po.deliverBy,
    createdAt: po.createdAt,
    pendingCancellation: state.pendingCancellation ?? null,
  };
}
