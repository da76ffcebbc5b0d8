import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/**
 * What sourcing learns about fulfilment nodes (the retailer's warehouses and drop-ship suppliers):
 * `catalog.offers.v1` (`NodeOffersPublished`), `inventory.stock.v1` (`StockReported`),
 * `supplier.scorecards.v1` (`SupplierScorecardUpdated`) and `supplier.profiles.v1`
 * (`SupplierProfileUpdated`). Money in integer minor units.
 */
export const CATALOG_EVENTS = {
  nodeOffersPublished: 'NodeOffersPublished',
  stockReported: 'StockReported',
  supplierScorecardUpdated: 'SupplierScorecardUpdated',
  supplierProfileUpdated: 'SupplierProfileUpdated',
} as const;

export class NodeShippingV1 {
  @Min(0)
  @IsInt()
  perShipment!: number;

  @Min(0)
  @IsInt()
  perUnit!: number;
}

export class NodeDetailsV1 {
  @IsIn(['warehouse', 'supplier'])
  kind!: 'warehouse' | 'supplier';

  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  /** Claimed days from order to hand-over to the carrier. */
  @Max(365)
  @Min(0)
  @IsNumber()
  handlingDays!: number;

  @Max(365)
  @Min(0)
  @IsNumber()
  transitDays!: number;

  @IsObject()
  @ValidateNested()
  @Type(() => NodeShippingV1)
  shipping!: NodeShippingV1;

  @IsBoolean()
  dropShipAllowed!: boolean;

  /** Units held back from every stock figure of this node. */
  @IsOptional()
  @Min(0)
  @IsInt()
  safetyBuffer?: number;

  /** Hours after which a stock feed of this node is uncertain. */
  @IsOptional()
  @Min(1)
  @IsNumber()
  freshnessLimitHours?: number;
}

export class OfferV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sku!: string;

  @Min(0)
  @IsInt()
  unitCost!: number;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  supplierSku?: string;
}

export class NodeOffersPublishedV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nodeId!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => NodeDetailsV1)
  node!: NodeDetailsV1;

  @IsString()
  currency!: string;

  @ArrayUnique((o: OfferV1) => o?.sku, { message: 'skus must be unique' })
  @ValidateNested({ each: true })
  @Type(() => OfferV1)
  @IsArray()
  offers!: OfferV1[];

  /** A snapshot replaces the node's offers; otherwise the listed offers are added or updated. */
  @IsBoolean()
  snapshot!: boolean;

  @IsISO8601()
  asOf!: string;
}

export class StockLevelV1 {
  @IsString()
  @IsNotEmpty()
  sku!: string;

  @Min(0)
  @IsInt()
  quantity!: number;
}

export class StockReportedV1 {
  @IsString()
  @IsNotEmpty()
  nodeId!: string;

  /** `snapshot`: unlisted skus are zero. `delta`: only the listed skus change. */
  @IsIn(['snapshot', 'delta'])
  mode!: 'snapshot' | 'delta';

  @ArrayUnique((l: StockLevelV1) => l?.sku, { message: 'skus must be unique' })
  @ValidateNested({ each: true })
  @Type(() => StockLevelV1)
  @IsArray()
  items!: StockLevelV1[];

  /** When the feed was produced (not received): older feeds never overwrite newer ones. */
  @IsISO8601()
  asOf!: string;
}

export class ShipDaysV1 {
  @Min(0)
  @IsNumber()
  p50!: number;

  @Min(0)
  @IsNumber()
  p90!: number;
}

export class SupplierScorecardUpdatedV1 {
  @IsString()
  @IsNotEmpty()
  supplierId!: string;

  /** Share of accepted units the supplier ships on time, 0–1; absent while data is insufficient. */
  @IsOptional()
  @Max(1)
  @Min(0)
  @IsNumber()
  reliability?: number;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ShipDaysV1)
  observedShipDays?: ShipDaysV1;

  @IsBoolean()
  flagged!: boolean;

  /** Suspended on its performance: gets nothing until reinstated. */
  @IsOptional()
  @IsBoolean()
  suspended?: boolean;

  /** Composite score 0–1 of the main window; absent while data is insufficient. */
  @IsOptional()
  @Max(1)
  @Min(0)
  @IsNumber()
  score?: number;

  @IsISO8601()
  asOf!: string;
}

export class ChargebackTermsV1 {
  @IsOptional()
  @Min(0)
  @IsInt()
  lateShipment?: number;

  @IsOptional()
  @Min(0)
  @IsInt()
  invalidTracking?: number;

  @IsOptional()
  @Min(0)
  @IsInt()
  cancelledAfterAcceptance?: number;
}

export class ReturnPolicyV1 {
  @Max(3650)
  @Min(0)
  @IsInt()
  windowDays!: number;

  @IsBoolean()
  acceptsReturns!: boolean;

  @IsOptional()
  @Max(100)
  @Min(0)
  @IsNumber()
  restockingFeePercent?: number;
}

export class SupplierProfileUpdatedV1 {
  @IsString()
  @IsNotEmpty()
  supplierId!: string;

  /** Amounts charged back per defect, minor units (the gateway's supplier settings). */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ChargebackTermsV1)
  chargebacks?: ChargebackTermsV1;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReturnPolicyV1)
  returnPolicy?: ReturnPolicyV1;

  /** Where returns to this supplier go (printed on the customer's return instructions). */
  @IsOptional()
  @IsObject()
  returnAddress?: Record<string, string>;

  @IsIn(['active', 'suspended'])
  status!: 'active' | 'suspended';

  @IsISO8601()
  asOf!: string;
}
