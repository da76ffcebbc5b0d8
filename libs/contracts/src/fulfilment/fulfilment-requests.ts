import { Type } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsISO4217CurrencyCode, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { SealableAddressV1 } from '../privacy/sealed-personal-data';
import { NodeLinesFactV1, OrderFactV1, OrderLinesCancelledV1 } from './fulfilment-events';

/**
 * What sourcing asks of a fulfilment node, and what a warehouse answers.
 *
 * - `FulfilmentRequested`: one node's group of a plan, with everything the node needs to ship it.
 *   Drop-ship groups go to the supplier gateway on `sourcing.allocations.v1`; the retailer's own
 *   warehouse groups go to the WMS on `wms.fulfilment-requests.v1`. `groupId` is unique and stable:
 *   a redelivered request names the same group.
 * - `FulfilmentCancellationRequested`: the customer cancelled; the node is asked to give the units
 *   back. The node answers with `FulfilmentCancelled` (WMS) or `PurchaseOrderCancelled` (gateway)
 *   for what it could stop, and ships the rest.
 * - `LinesUnfulfillable` (on `sourcing.allocations.v1`): no node can take these units; the order
 *   side cancels and refunds them, as for `OrderLinesCancelled`.
 * - From the WMS on `wms.shipments.v1`: `FulfilmentShortageReported` (the warehouse cannot ship
 *   units it was asked for: sourcing plans them elsewhere) and `FulfilmentCancelled`.
 */
export const FULFILMENT_REQUESTS = {
  fulfilmentRequested: 'FulfilmentRequested',
  fulfilmentCancellationRequested: 'FulfilmentCancellationRequested',
  linesUnfulfillable: 'LinesUnfulfillable',
  fulfilmentShortageReported: 'FulfilmentShortageReported',
  fulfilmentCancelled: 'FulfilmentCancelled',
} as const;

export class RequestedLineV1 {
  @IsString()
  @IsNotEmpty()
  lineId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sku!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  name?: string;

  @Min(1)
  @IsInt()
  quantity!: number;

  /** What the node charges us per unit (wholesale) or its internal cost, in minor units. */
  @Min(0)
  @IsInt()
  unitCost!: number;
}

export class FulfilmentRequestedV1 extends OrderFactV1 {
  @IsString()
  @IsNotEmpty()
  groupId!: string;

  @IsString()
  @IsNotEmpty()
  nodeId!: string;

  @IsIn(['warehouse', 'supplier'])
  nodeKind!: 'warehouse' | 'supplier';

  /** The plan version that created the group. */
  @Min(1)
  @IsInt()
  planVersion!: number;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  orderNumber?: string;

  @IsISO4217CurrencyCode()
  currency!: string;

  @ArrayUnique((l: RequestedLineV1) => l?.lineId, { message: 'line ids must be unique' })
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => RequestedLineV1)
  @IsArray()
  lines!: RequestedLineV1[];

  /** The recipient's name, company, street lines and phone are sealed (`pii:v1:…`): open them with the retailer's key vault when the parcel is labelled. */
  @IsObject()
  @ValidateNested()
  @Type(() => SealableAddressV1)
  shipTo!: SealableAddressV1;

  /** Promise to the customer: hand over to the carrier by, and delivered by. */
  @IsISO8601()
  shipBy!: string;

  @IsISO8601()
  deliverBy!: string;

  @IsISO8601()
  requestedAt!: string;
}

export class FulfilmentCancellationRequestedV1 extends NodeLinesFactV1 {
  /** Unique per request and node. */
  @IsString()
  @IsNotEmpty()
  requestId!: string;

  @IsIn(['warehouse', 'supplier'])
  nodeKind!: 'warehouse' | 'supplier';

  /** The groups of this node that hold the units, newest first. */
  @IsArray()
  @IsString({ each: true })
  groupIds!: string[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @IsISO8601()
  requestedAt!: string;
}

export class LinesUnfulfillableV1 extends OrderLinesCancelledV1 {}

/** A warehouse's answer about some units of a group: short, or cancelled as asked. */
export class WarehouseLinesFactV1 extends NodeLinesFactV1 {
  /** The WMS's own id for this report: the same id twice is one report. */
  @IsString()
  @IsNotEmpty()
  reportId!: string;

  @IsString()
  @IsNotEmpty()
  groupId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @IsISO8601()
  at!: string;
}
