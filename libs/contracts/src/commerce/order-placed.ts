import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/**
 * The canonical order a commerce platform sends on `commerce.orders.v1` (type `OrderPlaced`) or to
 * `POST /orders`. Money is in integer minor units of `currency` (cents for USD, yen for JPY).
 */
export const COMMERCE_ORDER_PLACED = 'OrderPlaced';
export const COMMERCE_ORDER_CANCELLATION_REQUESTED = 'OrderCancellationRequested';
export const COMMERCE_SHIPPING_ADDRESS_CHANGED = 'ShippingAddressChanged';
export const COMMERCE_ORDER_TYPES = [COMMERCE_ORDER_PLACED, COMMERCE_ORDER_CANCELLATION_REQUESTED, COMMERCE_SHIPPING_ADDRESS_CHANGED] as const;

const MINOR_UNITS = { message: 'must be an integer amount in minor units' };
const MAX_AMOUNT = 1_000_000_000_00; // a billion in a 2-digit currency: far above any real order line

export class AddressV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  company?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  line1!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  line2?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city!: string;

  /** State, province or region code where the country has them. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  /** Optional: some countries (e.g. HK, AE) have no postal codes. */
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string;

  @IsISO31661Alpha2({ message: 'must be an ISO 3166-1 alpha-2 country code' })
  country!: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;
}

export class CustomerV1 {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  id?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;
}

export class DiscountV1 {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;

  @Min(0)
  @Max(MAX_AMOUNT)
  @IsInt(MINOR_UNITS)
  amount!: number;
}

export class TaxLineV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  /** Decimal rate as text, e.g. "0.0725"; informative only — `amount` is what counts. */
  @IsOptional()
  @Matches(/^\d{1,3}(\.\d{1,8})?$/, { message: 'must be a decimal rate such as "0.0725"' })
  rate?: string;

  @Min(0)
  @Max(MAX_AMOUNT)
  @IsInt(MINOR_UNITS)
  amount!: number;
}

/** Discounts and taxes on one charge: a line, or the shipping. */
export class DiscountsAndTaxesV1 {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DiscountV1)
  discounts?: DiscountV1[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => TaxLineV1)
  taxes?: TaxLineV1[];
}

export class OrderLineV1 extends DiscountsAndTaxesV1 {
  /** Unique within the order: cancellations, shipments and returns refer to it. */
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'may contain letters, digits and . _ : - only' })
  @MaxLength(100)
  @IsString()
  @IsNotEmpty()
  lineId!: string;

  @MaxLength(100)
  @IsString()
  @IsNotEmpty()
  sku!: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  name?: string;

  @Max(100_000)
  @Min(1, { message: 'must be a positive whole quantity' })
  @IsInt({ message: 'must be a positive whole quantity' })
  quantity!: number;

  /** Price of one unit before discounts, in minor units. */
  @Max(MAX_AMOUNT)
  @Min(0, { message: 'must not be negative' })
  @IsInt(MINOR_UNITS)
  unitPrice!: number;

}

export class ShippingChargeV1 extends DiscountsAndTaxesV1 {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  method?: string;

  @Max(MAX_AMOUNT)
  @Min(0, { message: 'must not be negative' })
  @IsInt(MINOR_UNITS)
  amount!: number;

}

export class PlatformTotalsV1 {
  @IsOptional()
  @IsInt(MINOR_UNITS)
  subtotal?: number;

  @IsOptional()
  @IsInt(MINOR_UNITS)
  discount?: number;

  @IsOptional()
  @IsInt(MINOR_UNITS)
  shipping?: number;

  @IsOptional()
  @IsInt(MINOR_UNITS)
  tax?: number;

  @IsInt(MINOR_UNITS)
  total!: number;
}

export class OrderPlacedV1 {
  @IsOptional()
  @IsIn([COMMERCE_ORDER_PLACED])
  type?: typeof COMMERCE_ORDER_PLACED;

  /** Where the order came from, e.g. `shopify:my-shop.myshopify.com` or `web-eu`. */
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, { message: 'must be 1-100 letters, digits or . _ : / -' })
  @IsString()
  channel!: string;

  @MaxLength(200)
  @IsString()
  @IsNotEmpty()
  externalOrderId!: string;

  /** The number the customer sees, e.g. "#1001". */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  orderNumber?: string;

  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 date-time' })
  placedAt!: string;

  @IsISO4217CurrencyCode({ message: 'must be an ISO 4217 currency code' })
  currency!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => CustomerV1)
  customer!: CustomerV1;

  @IsObject({ message: 'is required' })
  @ValidateNested()
  @Type(() => AddressV1)
  shipTo!: AddressV1;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressV1)
  billTo?: AddressV1;

  @ArrayUnique((line: OrderLineV1) => line?.lineId, { message: 'line ids must be unique within the order' })
  @ArrayMaxSize(500)
  @ArrayMinSize(1, { message: 'must contain at least one line' })
  @ValidateNested({ each: true })
  @Type(() => OrderLineV1)
  @IsArray()
  lines!: OrderLineV1[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DiscountV1)
  orderDiscounts?: DiscountV1[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ShippingChargeV1)
  shipping?: ShippingChargeV1;

  /** Whether unit prices already include tax (EU-style) or tax is added on top (US-style). */
  @IsOptional()
  @IsBoolean()
  taxesIncluded?: boolean;

  /**
   * What the platform charged the customer, if it says. When given it must equal the total
   * computed from the lines: a mismatch means a mapping error upstream and the order is rejected.
   */
  @IsOptional()
  @Min(0)
  @IsInt(MINOR_UNITS)
  totalCharged?: number;

  /**
   * What the platform itself reports, when the caller cannot vouch for it (e.g. a mapped Shopify
   * webhook). Differences from the computed totals never reject the order: they are recorded as
   * discrepancies on `OrderAccepted` for finance to reconcile.
   */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PlatformTotalsV1)
  platformTotals?: PlatformTotalsV1;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class LineQuantityV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lineId!: string;

  @Min(1, { message: 'must be a positive whole quantity' })
  @IsInt({ message: 'must be a positive whole quantity' })
  quantity!: number;
}

export class CancellationRequestV1 {
  @IsIn([COMMERCE_ORDER_CANCELLATION_REQUESTED])
  type!: typeof COMMERCE_ORDER_CANCELLATION_REQUESTED;

  @IsString()
  @IsNotEmpty()
  channel!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalOrderId!: string;

  /** The platform's id for this request: a retry with the same id changes nothing. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  requestId!: string;

  /** Lines and quantities to cancel; absent means the whole order. */
  @IsOptional()
  @ArrayUnique((l: LineQuantityV1) => l?.lineId, { message: 'line ids must be unique' })
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => LineQuantityV1)
  @IsArray()
  lines?: LineQuantityV1[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @IsISO8601({ strict: true })
  requestedAt!: string;
}

export class AddressChangeRequestV1 {
  @IsIn([COMMERCE_SHIPPING_ADDRESS_CHANGED])
  type!: typeof COMMERCE_SHIPPING_ADDRESS_CHANGED;

  @IsString()
  @IsNotEmpty()
  channel!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalOrderId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  requestId!: string;

  @IsObject({ message: 'is required' })
  @ValidateNested()
  @Type(() => AddressV1)
  shipTo!: AddressV1;

  @IsISO8601({ strict: true })
  changedAt!: string;
}
