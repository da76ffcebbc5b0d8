import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsInt, IsNumber, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import type { FlagRule } from '../domain/flags';
import type { ScoreComponent } from '../domain/scorecard';

/** Every figure a flag rule may watch (the compiler checks the list against FlagRule). */
export const FLAG_METRICS = [
  'score',
  'onTimeAcknowledgement',
  'onTimeShipment',
  'fillRate',
  'rejectionRate',
  'backorderRate',
  'supplierCancellationRate',
  'timeoutRate',
  'trackingDefectRate',
  'quantityAccuracy',
  'lateAsnRate',
  'invoiceDisputeRate',
  'returnRate',
] as const satisfies readonly FlagRule['metric'][];
type Unlisted = Exclude<FlagRule['metric'], (typeof FLAG_METRICS)[number]>;
const everyMetricListed: Unlisted extends never ? true : never = true;
void everyMetricListed;

const finite = { allowNaN: false, allowInfinity: false } as const;

/** Weights of the score's components: any left out keep their live weight. */
export class WeightsDto implements Partial<Record<ScoreComponent, number>> {
  @IsOptional() @Min(0) @IsNumber(finite) onTimeAcknowledgement?: number;
  @IsOptional() @Min(0) @IsNumber(finite) onTimeShipment?: number;
  @IsOptional() @Min(0) @IsNumber(finite) fillRate?: number;
  @IsOptional() @Min(0) @IsNumber(finite) timeouts?: number;
  @IsOptional() @Min(0) @IsNumber(finite) trackingAccuracy?: number;
  @IsOptional() @Min(0) @IsNumber(finite) quantityAccuracy?: number;
  @IsOptional() @Min(0) @IsNumber(finite) invoiceAccuracy?: number;
  @IsOptional() @Min(0) @IsNumber(finite) returns?: number;
}

export class ScoringDto {
  @IsOptional() @IsObject() @ValidateNested() @Type(() => WeightsDto) weights?: WeightsDto;
  @IsOptional() @Min(1) @IsInt() minSample?: number;
  /** Days of each window, e.g. [7, 30, 90]. */
  @IsOptional() @IsArray() @ArrayNotEmpty() @ArrayMaxSize(10) @Min(1, { each: true }) @Max(3650, { each: true }) @IsInt({ each: true }) windows?: number[];
}

export class FlagRuleDto {
  @IsIn(FLAG_METRICS) metric!: FlagRule['metric'];
  @IsIn(['above', 'below']) direction!: 'above' | 'below';
  @Min(0) @Max(1) @IsNumber(finite) enter!: number;
  @Min(0) @Max(1) @IsNumber(finite) exit!: number;
}

export class SuspendDto {
  @Min(0) @Max(1) @IsNumber(finite) below!: number;
  @Min(0) @Max(1) @IsNumber(finite) exit!: number;
}

export class FlagsDto {
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => FlagRuleDto) rules?: FlagRuleDto[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SuspendDto) suspend?: SuspendDto;
  /** The window (days) the rules look at: one of the scoring windows. */
  @IsOptional() @Min(1) @IsInt() window?: number;
}

/** Policies to try in "what if", each part merged over the live one. */
export class WhatIfDto {
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ScoringDto) scoring?: ScoringDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => FlagsDto) flags?: FlagsDto;
}
