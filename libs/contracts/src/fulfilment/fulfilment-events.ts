import { Type } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';

/**
 * What the other services publish about an order's fulfilment, as order intake consumes them to
 * keep the customer's one coherent view. Each fact names the order id; quantities are per line id.
 *
 * - `sourcing.allocations.v1`: `FulfilmentPlanned` (a version of the plan: which node ships which
 *   line quantity, and what cannot be fulfilled) and `OrderLinesCancelled` (the definitive end of
 *   unshipped quantity: customer cancellation confirmed, or unfulfillable).
 * - `supplier.purchase-orders.v1`: PO dispatched / acknowledged / cancelled / timed out, shipments.
 * - `wms.shipments.v1`: warehouse shipments and deliveries.
 * - `returns.returns.v1`: returns received. `finance.settlements.v1`: refunds issued.
 */
export const FULFILMENT_FACTS = {
  fulfilmentPlanned: 'FulfilmentPlanned',
  orderLinesCancelled: 'OrderLinesCancelled',
  purchaseOrderDispatched: 'PurchaseOrderDispatched',
  purchaseOrderAcknowledged: 'PurchaseOrderAcknowledged',
  purchaseOrderCancelled: 'PurchaseOrderCancelled',
  purchaseOrderTimedOut: 'PurchaseOrderTimedOut',
  purchaseOrderCreated: 'PurchaseOrderCreated',
  purchaseOrderInvoiced: 'PurchaseOrderInvoiced',
  purchaseOrderCancellationRefused: 'PurchaseOrderCancellationRefused',
  purchaseOrderClosed: 'PurchaseOrderClosed',
  supplierMessageRefused: 'SupplierMessageRefused',
  shipmentDispatched: 'ShipmentDispatched',
  shipmentDelivered: 'ShipmentDelivered',
  returnReceived: 'ReturnReceived',
  /** Units of a return the customer gets refunded for (received in acceptable condition, or returnless). */
  refundApproved: 'RefundApproved',
  refundIssued: 'RefundIssued',
} as const;

/** Every fact names the order it is about. */
export class OrderFactV1 {
  @IsUUID()
  orderId!: string;
}

/** A purchase-order step: which PO of which supplier, and when. */
export class PurchaseOrderFactV1 extends OrderFactV1 {
  @IsString()
  @IsNotEmpty()
  poId!: string;

  @IsString()
  @IsNotEmpty()
  supplierId!: string;

  @IsISO8601()
  at!: string;
}

export class LineQuantityFactV1 {
  @IsString()
  @IsNotEmpty()
  lineId!: string;

  @Min(0)
  @IsInt()
  quantity!: number;
}

/** Units of some order lines at one fulfilment node. */
export class NodeLinesFactV1 extends OrderFactV1 {
  @IsString()
  @IsNotEmpty()
  nodeId!: string;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => LineQuantityFactV1)
  @IsArray()
  lines!: LineQuantityFactV1[];
}

export class PlanGroupV1 {
  @IsString()
  @IsNotEmpty()
  groupId!: string;

  @IsString()
  @IsNotEmpty()
  nodeId!: string;

  @IsIn(['warehouse', 'supplier'])
  nodeKind!: 'warehouse' | 'supplier';

  @ValidateNested({ each: true })
  @Type(() => LineQuantityFactV1)
  @IsArray()
  lines!: LineQuantityFactV1[];

  @IsOptional()
  @IsISO8601()
  shipBy?: string;

  @IsOptional()
  @IsISO8601()
  deliverBy?: string;
}

/** The whole plan in force: every group still holding units, and every unit no node can take. */
export class FulfilmentPlannedV1 extends OrderFactV1 {
  /** Re-plans raise it: the highest version is the plan in force. */
  @Min(1)
  @IsInt()
  version!: number;

  @ValidateNested({ each: true })
  @Type(() => PlanGroupV1)
  @IsArray()
  groups!: PlanGroupV1[];

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => LineQuantityFactV1)
  @IsArray()
  unfulfillable?: LineQuantityFactV1[];

  @IsISO8601()
  plannedAt!: string;
}

export class OrderLinesCancelledV1 extends OrderFactV1 {
  /** Unique per cancellation: the same id twice is one cancellation. */
  @IsString()
  @IsNotEmpty()
  cancellationId!: string;

  @ArrayUnique((l: LineQuantityFactV1) => l?.lineId, { message: 'line ids must be unique' })
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => LineQuantityFactV1)
  @IsArray()
  lines!: LineQuantityFactV1[];

  @IsString()
  @MaxLength(200)
  reason!: string;

  @IsISO8601()
  cancelledAt!: string;
}

export class PurchaseOrderLinesFactV1 extends PurchaseOrderFactV1 {
  @ValidateNested({ each: true })
  @Type(() => LineQuantityFactV1)
  @IsArray()
  lines!: LineQuantityFactV1[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  /**
   * On a cancellation or time-out the supplier did not ask for: `resource` (default) sends the
   * lines back to sourcing for another node; `cancel` cancels and refunds them at once (the
   * supplier's time-out policy).
   */
  @IsOptional()
  @IsIn(['resource', 'cancel'])
  resolution?: 'resource' | 'cancel';

  /** Cancellations: who stopped the units. */
  @IsOptional()
  @IsIn(['retailer', 'supplier'])
  by?: 'retailer' | 'supplier';
}

export class AcknowledgedLineV1 {
  @IsString()
  @IsNotEmpty()
  lineId!: string;

  @Min(0)
  @IsInt()
  accepted!: number;

  @Min(0)
  @IsInt()
  rejected!: number;

  @Min(0)
  @IsInt()
  backordered!: number;
}

export class PurchaseOrderAcknowledgedV1 extends PurchaseOrderFactV1 {
  @ValidateNested({ each: true })
  @Type(() => AcknowledgedLineV1)
  @IsArray()
  lines!: AcknowledgedLineV1[];
}

export class ShipmentDispatchedV1 extends NodeLinesFactV1 {
  @IsString()
  @IsNotEmpty()
  shipmentId!: string;

  @IsOptional()
  @IsString()
  poId?: string;

  @IsString()
  @IsNotEmpty()
  carrier!: string;

  @IsString()
  @IsNotEmpty()
  trackingNumber!: string;

  @IsOptional()
  @IsString()
  trackingUrl?: string;

  @IsISO8601()
  shippedAt!: string;

  /** Supplier shipments: whether the tracking number passed its carrier's check. */
  @IsOptional()
  @IsBoolean()
  trackingValid?: boolean;

  /** Supplier shipments: the PO's ship-by, to measure lateness. */
  @IsOptional()
  @IsISO8601()
  shipBy?: string;
}

export class ShipmentDeliveredV1 extends OrderFactV1 {
  @IsString()
  @IsNotEmpty()
  shipmentId!: string;

  @IsISO8601()
  deliveredAt!: string;
}

export class ReturnReceivedV1 extends OrderFactV1 {
  @IsString()
  @IsNotEmpty()
  returnId!: string;

  /**
   * Where the items went back: the supplier (a credit is due from it), the retailer's warehouse
   * (back in stock), or nowhere (refunded without return).
   */
  @IsOptional()
  @IsIn(['supplier', 'retailer', 'none'])
  destination?: 'supplier' | 'retailer' | 'none';

  /** The node that had shipped the returned units. */
  @IsOptional()
  @IsString()
  nodeId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;

  /** The supplier caused it (defective, wrong item): counts against its scorecard. */
  @IsOptional()
  @IsBoolean()
  attributableToSupplier?: boolean;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => LineQuantityFactV1)
  @IsArray()
  lines!: LineQuantityFactV1[];

  @IsISO8601()
  receivedAt!: string;
}

export class RefundLineV1 {
  @IsString()
  @IsNotEmpty()
  lineId!: string;

  @Min(0)
  @IsInt()
  quantity!: number;

  @IsInt()
  amount!: number;
}

export class RefundIssuedV1 extends OrderFactV1 {
  @IsString()
  @IsNotEmpty()
  refundId!: string;

  @IsInt()
  amount!: number;

  @IsString()
  currency!: string;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => RefundLineV1)
  @IsArray()
  lines?: RefundLineV1[];

  @IsISO8601()
  issuedAt!: string;
}

export class PurchaseOrderLineV1 {
  @Min(1)
  @IsInt()
  lineNumber!: number;

  @IsString()
  @IsNotEmpty()
  lineId!: string;

  @IsString()
  @IsNotEmpty()
  sku!: string;

  @IsOptional()
  @IsString()
  supplierSku?: string;

  @Min(1)
  @IsInt()
  quantity!: number;

  /** Wholesale cost per unit, minor units of the PO currency. */
  @Min(0)
  @IsInt()
  unitCost!: number;
}

/** A PO was created from a drop-ship group: what the supplier is asked to ship, at what cost, by when. */
export class PurchaseOrderCreatedV1 extends PurchaseOrderFactV1 {
  @IsString()
  @IsNotEmpty()
  poNumber!: string;

  @IsString()
  @IsNotEmpty()
  groupId!: string;

  @IsString()
  currency!: string;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => PurchaseOrderLineV1)
  @IsArray()
  lines!: PurchaseOrderLineV1[];

  @IsISO8601()
  confirmBy!: string;

  @IsISO8601()
  shipBy!: string;
}

export class InvoicedLineV1 extends LineQuantityFactV1 {
  @Min(0)
  @IsInt()
  unitCost!: number;
}

/** The supplier billed us: finance matches it against the PO and what shipped. */
export class PurchaseOrderInvoicedV1 extends PurchaseOrderFactV1 {
  @IsString()
  @IsNotEmpty()
  invoiceNumber!: string;

  @IsString()
  currency!: string;

  @ValidateNested({ each: true })
  @Type(() => InvoicedLineV1)
  @IsArray()
  lines!: InvoicedLineV1[];

  @IsInt()
  total!: number;
}
