import { ServiceEnv } from '@oms/platform';
import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';

const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);

/** The sourcing policy: what the planner weighs (minor units of the order currency) and how strictly. */
export class SourcingEnv extends ServiceEnv {
  /** Cost charged for each package beyond the first (prefers fewer shipments). */
  @Transform(toNumber)
  @Min(0)
  @IsInt()
  SOURCING_SPLIT_PENALTY = 500;

  /** Expected cost of a unit that fails at a node, weighted by the node's unreliability. */
  @Transform(toNumber)
  @Min(0)
  @IsInt()
  SOURCING_FAILURE_COST = 2000;

  /** Stock whose feed is older than the node's freshness limit: `exclude`, or `discount:<share 0-1>`. */
  @Matches(/^(exclude|discount:(0(\.\d+)?|1(\.0+)?))$/, { message: 'must be "exclude" or "discount:<share between 0 and 1>"' })
  SOURCING_STALE_STOCK = 'exclude';

  /** Flagged suppliers: `avoid` (only when nothing else covers a line) or `cap:<units per order>`. */
  @Matches(/^(avoid|cap:\d+)$/, { message: 'must be "avoid" or "cap:<units per order>"' })
  SOURCING_FLAGGED = 'avoid';

  /** Units held back from every node's feed when the node sets no buffer of its own. */
  @Transform(toNumber)
  @Min(0)
  @IsInt()
  SOURCING_SAFETY_BUFFER = 0;

  /** Hours after which a feed is stale, when the node sets no limit of its own. */
  @Transform(toNumber)
  @Min(1)
  @IsNumber()
  SOURCING_WAREHOUSE_FRESHNESS_HOURS = 6;

  @Transform(toNumber)
  @Min(1)
  @IsNumber()
  SOURCING_SUPPLIER_FRESHNESS_HOURS = 24;

  /** Attempts to plan an order when stock keeps changing under it (another order took it). */
  @IsOptional()
  @Transform(toNumber)
  @Max(50)
  @Min(1)
  @IsInt()
  SOURCING_PLAN_ATTEMPTS = 8;
}
