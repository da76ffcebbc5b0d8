import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  return ['true', '1', 'yes'].includes(v) ? true : ['false', '0', 'no'].includes(v) ? false : value;
};

/**
 * Settings every service reads from its environment. Service-specific ones extend this class.
 * class-validator runs a property's decorators bottom-up and we stop at the first error, so the
 * most basic check (presence, type) is written last.
 */
export class ServiceEnv {
  @IsOptional()
  @Transform(toInt)
  @Min(0)
  @Max(65535)
  @IsInt({ message: 'must be a port number' })
  HTTP_PORT?: number;

  @IsString()
  HTTP_HOST = '0.0.0.0';

  @IsIn(['kafka', 'in-process'])
  MESSAGING_TRANSPORT: 'kafka' | 'in-process' = 'kafka';

  @ValidateIf((env: ServiceEnv) => env.MESSAGING_TRANSPORT === 'kafka')
  @Matches(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, { message: 'must be host:port[,host:port…]' })
  @IsNotEmpty({ message: 'is required when MESSAGING_TRANSPORT=kafka (comma-separated host:port list)' })
  KAFKA_BROKERS?: string;

  @IsOptional()
  @IsString()
  KAFKA_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  KAFKA_GROUP_ID?: string;

  /**
   * Put before every topic's name on the broker (e.g. `staging.`): environments or test runs share
   * one cluster without reading each other's traffic. Messages and dead letters keep the contract's names.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'must be 1-100 letters, digits, dots, underscores or dashes' })
  KAFKA_TOPIC_PREFIX?: string;

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  KAFKA_SSL = false;

  @IsOptional()
  @IsIn(['plain', 'scram-sha-256', 'scram-sha-512'])
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';

  @ValidateIf((env: ServiceEnv) => env.KAFKA_SASL_MECHANISM !== undefined)
  @IsNotEmpty({ message: 'is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_USERNAME?: string;

  @ValidateIf((env: ServiceEnv) => env.KAFKA_SASL_MECHANISM !== undefined)
  @IsNotEmpty({ message: 'is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_PASSWORD?: string;

  /** 3 in production (with min.insync.replicas 2); 1 for a single local broker. */
  @Transform(toInt)
  @Min(1)
  @IsInt()
  KAFKA_REPLICATION_FACTOR = 1;

  @Transform(toInt)
  @Min(1)
  @IsInt()
  KAFKA_MIN_INSYNC_REPLICAS = 1;

  /** Overrides every topic's partition count (e.g. 1–3 on a laptop). */
  @IsOptional()
  @Transform(toInt)
  @Min(1)
  @IsInt()
  KAFKA_PARTITIONS?: number;

  @Transform(toInt)
  @Min(1)
  @Max(100)
  @IsInt()
  CONSUMER_MAX_ATTEMPTS = 4;

  /** Partitions one consumer handles at once (order is kept per partition, so per key). */
  @Transform(toInt)
  @Min(1)
  @Max(64)
  @IsInt()
  KAFKA_CONSUMER_CONCURRENCY = 3;

  @Transform(toInt)
  @Min(0)
  @IsInt()
  CONSUMER_BACKOFF_MS = 200;

  /**
   * How long the broker waits for a silent consumer before giving its partitions to the others: a
   * replica that died without leaving the group holds them that long. The broker accepts 6–300 s by
   * default (group.min/max.session.timeout.ms); heartbeats go every third of it, at most every 3 s.
   */
  @Transform(toInt)
  @Min(6_000)
  @Max(300_000)
  @IsInt()
  KAFKA_SESSION_TIMEOUT_MS = 30_000;

  @IsIn(['postgres', 'embedded', 'kurrentdb'])
  EVENT_STORE: 'postgres' | 'embedded' | 'kurrentdb' = 'postgres';

  @ValidateIf((env: ServiceEnv) => env.EVENT_STORE === 'postgres')
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection string' })
  @IsNotEmpty({ message: 'is required when EVENT_STORE=postgres' })
  DATABASE_URL?: string;

  /** The service's own schema in the shared database; defaults to the service name. */
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
  EVENT_STORE_SCHEMA?: string;

  @Transform(toInt)
  @Min(1)
  @Max(200)
  @IsInt()
  EVENT_STORE_POOL_SIZE = 10;

  @ValidateIf((env: ServiceEnv) => env.EVENT_STORE === 'kurrentdb')
  @Matches(/^(kurrentdb|esdb|kdb)(\+discover)?:\/\//, { message: 'must be a kurrentdb:// (or esdb://) connection string' })
  @IsNotEmpty({ message: 'is required when EVENT_STORE=kurrentdb' })
  EVENTSTORE_URL?: string;

  /** Where the embedded store keeps its files. */
  @IsString()
  DATA_DIR = 'data';

  /**
   * Simulations and end-to-end runs only: the service's clock runs this many times faster than the
   * wall clock from CLOCK_ANCHOR, so deadlines measured in hours pass in seconds. 1 in production.
   */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value))
  @Min(1)
  @Max(100_000)
  @IsNumber({}, { message: 'must be a number (1 = real time)' })
  CLOCK_SPEED = 1;

  /** The wall-clock instant a sped-up clock starts from (every process of one run gets the same). */
  @ValidateIf((env: ServiceEnv) => env.CLOCK_SPEED !== 1)
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 instant' })
  @IsNotEmpty({ message: 'is required when CLOCK_SPEED is not 1' })
  CLOCK_ANCHOR?: string;

  /** `json`: one JSON object per line with trace, order, causation and PO ids; `text`: for a terminal. */
  @IsIn(['json', 'text'])
  LOG_FORMAT: 'json' | 'text' = 'json';

  /** Where traces go (OTLP over HTTP, e.g. http://otel-collector:4318); none: ids still travel, nothing is exported. */
  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';
}
