import { Type } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';

/**
 * A customer's return request, on `commerce.returns.v1` (type `ReturnRequested`) or to
 * `POST /returns`. The order is named by its OMS id, or by the platform's channel and order id.
 */
export const COMMERCE_RETURN_REQUESTED = 'ReturnRequested';

/** Reasons the routing rules and the supplier scorecards understand; anything else is `other`. */
export const RETURN_REASONS = ['changed_mind', 'defective', 'wrong_item', 'not_as_described', 'damaged_in_transit', 'arrived_late', 'other'] as const;

export class ReturnLineV1 {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lineId!: string;

  @Min(1, { message: 'must be a positive whole quantity' })
  @IsInt({ message: 'must be a positive whole quantity' })
  quantity!: number;

  @IsIn(RETURN_REASONS)
  reason!: (typeof RETURN_REASONS)[number];
}

export class ReturnRequestV1 {
  @IsOptional()
  @IsIn([COMMERCE_RETURN_REQUESTED])
  type?: typeof COMMERCE_RETURN_REQUESTED;

  @ValidateIf((r: ReturnRequestV1) => r.orderId !== undefined || r.channel === undefined)
  @IsUUID()
  orderId?: string;

  @ValidateIf((r: ReturnRequestV1) => r.orderId === undefined)
  @IsString()
  @IsNotEmpty()
  channel?: string;

  @ValidateIf((r: ReturnRequestV1) => r.orderId === undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalOrderId?: string;

  /** The platform's id for this return: the same id again is the same return. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalReturnId!: string;

  @ArrayUnique((l: ReturnLineV1) => l?.lineId, { message: 'line ids must be unique' })
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ReturnLineV1)
  @IsArray()
  lines!: ReturnLineV1[];

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;

  @IsISO8601()
  requestedAt!: string;
}

/** A node's receipt of a routed return part (`ReturnPartReceived`, from a warehouse or the gateway). */
export class ReturnReceiptLineV1 {
  @IsString()
  @IsNotEmpty()
  lineId!: string;

  @Min(0)
  @IsInt()
  quantity!: number;

  @IsIn(['acceptable', 'damaged', 'wrong_item', 'missing'])
  condition!: 'acceptable' | 'damaged' | 'wrong_item' | 'missing';
}

/** What a node received of a return part: `POST /returns/:id/parts/:partId/receipts`. */
export class ReturnReceiptV1 {
  /** The receiving node's own id for the receipt: the same id twice is one receipt. */
  @IsString()
  @IsNotEmpty()
  receiptId!: string;

  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ReturnReceiptLineV1)
  @IsArray()
  lines!: ReturnReceiptLineV1[];
}

/** The same receipt as a message from a warehouse or the gateway, naming its return and part. */
export class ReturnPartReceivedV1 extends ReturnReceiptV1 {
  @IsUUID()
  returnId!: string;

  @IsString()
  @IsNotEmpty()
  partId!: string;

  @IsISO8601()
  receivedAt!: string;
}
