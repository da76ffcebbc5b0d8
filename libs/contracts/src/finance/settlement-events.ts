import { IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID } from 'class-validator';

/** What consumers of `finance.settlements.v1` may rely on of an invoice's outcome. */
export const SETTLEMENT_INVOICE_EVENTS = {
  matched: 'SupplierInvoiceMatched',
  disputed: 'SupplierInvoiceDisputed',
} as const;

export class SupplierInvoiceOutcomeSchemaV1 {
  @IsUUID()
  orderId!: string;

  @IsString()
  @IsNotEmpty()
  poId!: string;

  @IsString()
  @IsNotEmpty()
  supplierId!: string;

  @IsString()
  @IsNotEmpty()
  invoiceNumber!: string;

  @IsOptional()
  @IsISO8601()
  matchedAt?: string;

  @IsOptional()
  @IsISO8601()
  disputedAt?: string;
}
