import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/**
 * What suppliers send us, as JSON (REST API or webhook callback). A line is named by our line id,
 * the PO line number, or a sku — whichever the supplier keeps. Money in integer minor units.
 */
export class LineRefDto {
  @IsOptional()
  @IsString()
  lineId?: string;

  @IsOptional()
  @ValidateIf((o: LineRefDto) => typeof o.lineNumber !== 'string')
  @Min(1)
  @IsInt()
  lineNumber?: number | string;

  @IsOptional()
  @IsString()
  sku?: string;
}

export class AckLineDto extends LineRefDto {
  @IsOptional()
  @Min(0)
  @IsInt()
  accepted?: number;

  @IsOptional()
  @Min(0)
  @IsInt()
  rejected?: number;

  @IsOptional()
  @Min(0)
  @IsInt()
  backordered?: number;

  @IsOptional()
  @IsISO8601()
  backorderDate?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class AcknowledgementDto {
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => AckLineDto)
  @IsArray()
  lines!: AckLineDto[];
}

export class QuantityLineDto extends LineRefDto {
  @Min(1)
  @IsInt()
  quantity!: number;
}

export class ShipmentDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  shipmentId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  carrier!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  trackingNumber!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  trackingUrl?: string;

  @IsISO8601()
  shippedAt!: string;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => QuantityLineDto)
  @IsArray()
  lines!: QuantityLineDto[];
}

export class InvoiceLineDto extends QuantityLineDto {
  @Min(0)
  @IsInt()
  unitCost!: number;
}

export class InvoiceDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  invoiceNumber!: string;

  @IsISO8601()
  invoicedAt!: string;

  @IsInt()
  total!: number;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineDto)
  @IsArray()
  lines!: InvoiceLineDto[];
}

export class CancellationAnswerDto {
  @IsBoolean()
  accepted!: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class SupplierCancellationDto {
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => QuantityLineDto)
  @IsArray()
  lines?: QuantityLineDto[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class StockItemDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sku!: string;

  @Min(0)
  @IsInt()
  quantity!: number;
}

export class StockFeedDto {
  @IsIn(['snapshot', 'delta'])
  mode!: 'snapshot' | 'delta';

  @IsISO8601()
  asOf!: string;

  @ValidateNested({ each: true })
  @Type(() => StockItemDto)
  @IsArray()
  items!: StockItemDto[];
}

/** A signed webhook callback: what it is, which PO, and the same body as the REST call. */
export class WebhookCallbackDto {
  @IsIn(['acknowledgement', 'shipment', 'invoice', 'cancellation_answer', 'cancellation', 'stock'])
  type!: 'acknowledgement' | 'shipment' | 'invoice' | 'cancellation_answer' | 'cancellation' | 'stock';

  @IsOptional()
  @IsString()
  poId?: string;

  @IsOptional()
  @IsString()
  poNumber?: string;
}
