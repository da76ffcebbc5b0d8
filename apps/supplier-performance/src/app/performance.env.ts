import { ServiceEnv } from '@oms/platform';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class PerformanceEnv extends ServiceEnv {
  /** Fewer POs than this in the main window: "insufficient data" — no score, no flag change. */
  @Transform(toInt)
  @Min(1)
  @Max(10_000)
  @IsInt()
  PERFORMANCE_MIN_SAMPLE = 10;

  /** JSON overrides of the score weights, e.g. {"onTimeShipment":3,"returns":0}. */
  @IsOptional()
  @IsString()
  PERFORMANCE_WEIGHTS?: string;

  /** JSON flag policy replacing the default ({"rules":[…],"suspend":{…},"window":30}). */
  @IsOptional()
  @IsString()
  PERFORMANCE_FLAGS?: string;

  /** How often every supplier is judged again, so windows slide past old events. */
  @Transform(toInt)
  @Min(1000)
  @IsInt()
  PERFORMANCE_REEVALUATE_MS = 3_600_000;

  /** Bearer token for rebuild and what-if. Without one, those refuse every call. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  PERFORMANCE_ADMIN_TOKEN?: string;
}
