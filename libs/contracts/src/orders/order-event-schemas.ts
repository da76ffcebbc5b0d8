import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsInt, IsISO4217CurrencyCode, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateNested } from 'class-validator';
import { SealableAddressV1 } from '../privacy/sealed-personal-data';
import { LineQuantityFactV1 } from '../fulfilment/fulfilment-events';

/**
 * Schemas for consumers of `oms.orders.v1`: what they may rely on in order intake's events (the
 * payload types are in `order-events.ts`). Fields a consumer does not read are not checked here.
 */
export class AcceptedLineSchemaV1 {
  @IsString()
  @IsNotEmpty()
  lineId!: string;

  @IsString()
  @IsNotEmpty()
  sku!: string;

  @IsOptional()
  @IsString()
  name?: string;

  @Min(1)
  @IsInt()
  quantity!: number;

  @IsInt()
  unitPrice!: number;

  @IsInt()
  discount!: number;

  @IsInt()
  tax!: number;

  @IsInt()
  total!: number;
}

export class ShippingChargeSchemaV1 {
  @IsInt()
  amount!: number;

  @IsInt()
  discount!: number;

  @IsInt()
  tax!: number;
}

export class OrderAcceptedSchemaV1 {
  @IsUUID()
  orderId!: string;

  @IsString()
  @IsNotEmpty()
  channel!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  orderNumber?: string;

  @IsISO4217CurrencyCode()
  currency!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => SealableAddressV1)
  shipTo!: SealableAddressV1;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => AcceptedLineSchemaV1)
  @IsArray()
  lines!: AcceptedLineSchemaV1[];

  /** What finance needs to split refunds exactly; consumers that do not charge may ignore it. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ShippingChargeSchemaV1)
  shipping?: ShippingChargeSchemaV1;

  @IsOptional()
  @IsBoolean()
  taxesIncluded?: boolean;

  @IsISO8601()
  acceptedAt!: string;
}

export class LinesCancelledSchemaV1 {
  @IsUUID()
  orderId!: string;

  @IsString()
  @IsNotEmpty()
  cancellationId!: string;

  @ValidateNested({ each: true })
  @Type(() => LineQuantityFactV1)
  @IsArray()
  lines!: LineQuantityFactV1[];

  @IsString()
  reason!: string;

  @IsISO8601()
  cancelledAt!: string;
}

export class OrderCancellationRequestedSchemaV1 {
  @IsUUID()
  orderId!: string;

  @IsString()
  @IsNotEmpty()
  requestId!: string;

  @ValidateNested({ each: true })
  @Type(() => LineQuantityFactV1)
  @IsArray()
  lines!: LineQuantityFactV1[];

  @IsOptional()
  @IsString()
  reason?: string;

  @IsISO8601()
  requestedAt!: string;
}

export class OrderShippingAddressChangedSchemaV1 {
  @IsUUID()
  orderId!: string;

  @IsString()
  @IsNotEmpty()
  requestId!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => SealableAddressV1)
  shipTo!: SealableAddressV1;

  @IsISO8601()
  changedAt!: string;
}
