import { ServiceEnv } from '@oms/platform';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class ReturnsEnv extends ServiceEnv {
  /** Days after shipment a node takes returns, unless its return policy says otherwise. */
  @Transform(toInt)
  @Min(0)
  @Max(3650)
  @IsInt()
  RETURNS_WINDOW_DAYS = 30;

  /** Days a destination has to report receipt of a routed part before it becomes an exception. */
  @Transform(toInt)
  @Min(1)
  @Max(365)
  @IsInt()
  RETURNS_RECEIVE_WITHIN_DAYS = 30;

  /** JSON routing policy ({"rules":[…],"defaultWarehouse":"…"}) replacing the default. */
  @IsOptional()
  @IsString()
  RETURNS_ROUTING?: string;

  /** JSON address of the default returns warehouse, printed on return instructions. */
  @IsOptional()
  @IsString()
  RETURNS_WAREHOUSE_ADDRESS?: string;

  /** How often routed parts past their receive-by time are looked for. */
  @Transform(toInt)
  @Min(100)
  @IsInt()
  RETURNS_EXPIRY_POLL_MS = 60_000;
}
