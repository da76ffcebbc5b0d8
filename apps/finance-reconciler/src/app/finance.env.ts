import { ServiceEnv } from '@oms/platform';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

export class FinanceEnv extends ServiceEnv {
  /**
   * Facts about one order come on several topics in no set order (a shipment may be read after
   * its return): a fact that waits for another is retried for longer than elsewhere before it
   * is dead-lettered.
   */
  override CONSUMER_MAX_ATTEMPTS = 10;

  /** Largest difference between an invoiced and an ordered unit cost still matched, minor units. */
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @Min(0)
  @Max(1_000_000)
  @IsInt()
  FINANCE_UNIT_COST_TOLERANCE = 0;

  /** Bearer token for the finance API (reports, payments). Without one, it refuses every call. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  FINANCE_API_TOKEN?: string;
}
