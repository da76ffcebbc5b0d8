import { PrivacyEnv } from '@oms/privacy';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

/** Order intake seals customers' personal data and erases it on request: it reads the key vault's settings too. */
export class OrderIntakeEnv extends PrivacyEnv {
  /** Bearer token for the erasure API (≥ 16 chars). Without one, nobody can erase. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  PRIVACY_ADMIN_TOKEN?: string;

  /**
   * Shopify webhook signing secrets, comma-separated: several during a rotation. Without one, the
   * Shopify endpoint refuses every call (401) rather than accepting unsigned orders.
   */
  @IsOptional()
  @IsString()
  SHOPIFY_WEBHOOK_SECRETS?: string;

  /** Largest order message accepted from Kafka or HTTP, in bytes. */
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @Min(1024)
  @Max(10 * 1024 * 1024)
  @IsInt()
  MAX_ORDER_BYTES = 256 * 1024;
}
