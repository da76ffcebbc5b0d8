import type { ClaimedUnits, ReturnableOrderCommand, SoldLine } from '../returnable-order';
import type { NodeInfo } from '../routing';

/**
 * One hand-built order for the returns tests. Times are fixed ISO strings around `AT` (the moment
 * a return is requested), so windows and deadlines can be worked out by hand.
 */

export const AT = new Date('2024-03-01T12:00:00.000Z');
export const ORDER_ID = 'order-1';

/** Unit values (total / quantity, minor units): MUG 2000, LAMP 15000, SOCKS 500, PEN 1000, CUP 1001, VASE 4500. */
export const SOLD: readonly SoldLine[] = [
  { lineId: 'L1', sku: 'MUG', quantity: 3, total: 6000 },
  { lineId: 'L2', sku: 'LAMP', quantity: 1, total: 15000 },
  { lineId: 'L3', sku: 'SOCKS', quantity: 4, total: 2000 },
  { lineId: 'L5', sku: 'PEN', quantity: 2, total: 2000 },
  { lineId: 'L6', sku: 'CUP', quantity: 2, total: 2002 },
  { lineId: 'L7', sku: 'VASE', quantity: 2, total: 9000 },
];
export const LINES: Readonly<Record<string, SoldLine>> = Object.fromEntries(SOLD.map((l) => [l.lineId, l]));

export const S1_ADDRESS = { line1: '1 Supplier Way', city: 'Leeds', country: 'GB' };

/** S1 and S2 take their returns, S3 does not; W1 is one of the retailer's warehouses. */
const NODES: Readonly<Record<string, NodeInfo>> = {
  S1: { kind: 'supplier', acceptsReturns: true, returnAddress: S1_ADDRESS },
  S2: { kind: 'supplier', acceptsReturns: true },
  S3: { kind: 'supplier', acceptsReturns: false },
  W1: { kind: 'warehouse', acceptsReturns: true },
};

export function nodeInfo(nodeId: string): NodeInfo {
  const info = NODES[nodeId];
  if (!info) throw new Error(`test node ${nodeId} is not defined`);
  return info;
}

export const noteSale = (lines: readonly SoldLine[] = SOLD): ReturnableOrderCommand => ({ type: 'NoteSale', data: { currency: 'EUR', lines } });

export const noteShipment = (shipmentId: string, nodeId: string, lines: Readonly<Record<string, number>>, shippedAt: string): ReturnableOrderCommand => ({
  type: 'NoteShipment',
  data: { shipmentId, nodeId, lines: Object.entries(lines).map(([lineId, quantity]) => ({ lineId, quantity })), shippedAt },
});

export const noteDelivery = (shipmentId: string, deliveredAt: string): ReturnableOrderCommand => ({ type: 'NoteDelivery', data: { shipmentId, deliveredAt } });

/** Return windows in days: S1 14, every other node 30. */
export const windowDays = (nodeId: string): number => (nodeId === 'S1' ? 14 : 30);

/** A return request of `lines` (line id → units), decided at `now`. */
export const claimReturn = (returnId: string, lines: Readonly<Record<string, number>>, now: Date = AT, windows: (nodeId: string) => number = windowDays): ReturnableOrderCommand =>
  claimReturnLines(returnId, Object.entries(lines).map(([lineId, quantity]) => ({ lineId, quantity })), now, windows);

/** The same, with the request's lines as given (a line id may repeat). */
export const claimReturnLines = (
  returnId: string,
  lines: readonly { lineId: string; quantity: number }[],
  now: Date = AT,
  windows: (nodeId: string) => number = windowDays,
): ReturnableOrderCommand => ({ type: 'ClaimReturn', data: { returnId, lines, windowDays: windows, now } });

export const units = (lineId: string, nodeId: string, quantity: number): ClaimedUnits => ({ lineId, nodeId, quantity });
