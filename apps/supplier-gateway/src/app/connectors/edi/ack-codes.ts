/**
 * What a supplier's acknowledgement codes mean for our order, in as few buckets as the gateway
 * acts on. Code lists: X12 element 668 (ACK01, line item status) and 587 (BAK02).
 */

/** How one ACK segment's quantity counts. */
export type LineDisposition = 'accepted' | 'accepted-balance-backordered' | 'backordered' | 'rejected' | 'held' | 'unrecognised';

const LINE_STATUS = {
  IA: 'accepted', // Item Accepted
  AC: 'accepted', // Item Accepted and Shipped
  AR: 'accepted', // Item Accepted and Released for Shipment
  DR: 'accepted', // Item Accepted - Date Rescheduled
  IC: 'accepted', // Item Accepted - Changes Made
  IE: 'accepted', // Item Accepted, Price Pending
  IP: 'accepted', // Item Accepted - Price Changed
  IQ: 'accepted', // Item Accepted - Quantity Changed
  IS: 'accepted', // Item Accepted - Substitution Made
  SP: 'accepted', // Item Accepted - Schedule Date Pending
  BP: 'accepted-balance-backordered', // Item Accepted - Partial Shipment, Balance Backordered
  IB: 'backordered', // Item Backordered
  IR: 'rejected', // Item Rejected
  ID: 'rejected', // Item Deleted
  R1: 'rejected', // Item Rejected, Not a Contract Item
  R2: 'rejected', // Item Rejected, Invalid Item Product Number
  R3: 'rejected', // Item Rejected, Invalid Unit of Issue
  R4: 'rejected', // Item Rejected, Contract Item not Available
  IH: 'held', // Item on Hold
  IF: 'held', // Item on Hold, Incomplete Description
  IW: 'held', // Item on Hold - Waiver Required
} as const satisfies Readonly<Record<string, LineDisposition>>;

export function lineDisposition(code: string): LineDisposition {
  return Object.hasOwn(LINE_STATUS, code) ? LINE_STATUS[code as keyof typeof LINE_STATUS] : 'unrecognised';
}

/** The order as a whole, from BAK02. Line ACK segments win where present: suppliers send 'AD' and reject lines anyway. */
export type OrderAckStatus = 'accepted' | 'accepted-with-changes' | 'rejected' | 'held' | 'unrecognised';

const ORDER_STATUS = {
  AC: 'accepted-with-changes', // Acknowledge - With Detail and Change
  AD: 'accepted', // Acknowledge - With Detail, No Change
  AE: 'accepted-with-changes', // Acknowledge - With Exception Detail Only
  AH: 'held', // Acknowledge - Hold Status
  AK: 'accepted', // Acknowledge - No Detail or Change
  AP: 'accepted', // Acknowledge - Product Replenishment
  AT: 'accepted', // Accepted
  RD: 'rejected', // Reject with Detail
  RF: 'rejected', // Reject with Exception Detail Only
  RJ: 'rejected', // Rejected - No Detail
  RO: 'rejected', // Rejected With Counter Offer
} as const satisfies Readonly<Record<string, OrderAckStatus>>;

export function orderAckStatus(code: string): OrderAckStatus {
  return Object.hasOwn(ORDER_STATUS, code) ? ORDER_STATUS[code as keyof typeof ORDER_STATUS] : 'unrecognised';
}
