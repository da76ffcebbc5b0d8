import { ServiceEnv } from '@oms/platform';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class OrderIntakeEnv extends ServiceEnv {
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
