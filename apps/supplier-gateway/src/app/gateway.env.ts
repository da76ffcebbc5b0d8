import { PrivacyEnv } from '@oms/privacy';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** The gateway opens customers' sealed ship-to addresses for suppliers: it reads the key vault's settings too. */
export class GatewayEnv extends PrivacyEnv {
  /** Bearer token for the supplier admin API. Without one, the admin API refuses every call. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  GATEWAY_ADMIN_TOKEN?: string;

  /**
   * 32 bytes, hex: encrypts webhook secrets at rest (AES-256-GCM). Without it, webhook suppliers
   * cannot be registered (a secret we cannot keep safely is not kept at all).
   */
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'must be 32 bytes as 64 hex characters' })
  GATEWAY_SECRETS_KEY?: string;

  /**
   * After a supplier's credentials are rotated, how long the API key and webhook secret they
   * replace keep working (0: not at all), unless retired earlier.
   */
  @Transform(toInt)
  @Min(0)
  @Max(24 * 90)
  @IsInt()
  GATEWAY_CREDENTIAL_GRACE_HOURS = 24;

  /** How often due deadlines are looked for. */
  @Transform(toInt)
  @Min(10)
  @Max(60_000)
  @IsInt()
  GATEWAY_DEADLINE_POLL_MS = 1000;

  @Transform(toInt)
  @Min(1)
  @Max(20)
  @IsInt()
  GATEWAY_WEBHOOK_MAX_ATTEMPTS = 5;

  @Transform(toInt)
  @Min(100)
  @Max(60_000)
  @IsInt()
  GATEWAY_WEBHOOK_TIMEOUT_MS = 5000;

  /** Signed supplier callbacks older (or newer) than this are refused as replays. */
  @Transform(toInt)
  @Min(30)
  @Max(3600)
  @IsInt()
  GATEWAY_WEBHOOK_TOLERANCE_SECONDS = 300;

  /** The retailer's brand on blind drop-ship packing slips. */
  @IsString()
  BRAND_NAME = 'Your Store';

  @IsOptional()
  @IsString()
  BRAND_MESSAGE?: string;

  /** JSON address: {"name","line1","city","region","postalCode","country"}. */
  @IsOptional()
  @IsString()
  BRAND_RETURN_ADDRESS?: string;

  /** A PNG logo printed on packing slips. */
  @IsOptional()
  @IsString()
  BRAND_LOGO_FILE?: string;

  /** Our EDI interchange id and qualifier (ISA06/ISA05 on what we send). */
  @IsString()
  EDI_SENDER_ID = 'DROPSHIPOMS';

  @IsString()
  EDI_SENDER_QUALIFIER = 'ZZ';
}
