import { IsDateString, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export const DIAGNOSTIC_PING_REQUESTED = 'DiagnosticPingRequested';
export const DIAGNOSTIC_PING_ANSWERED = 'DiagnosticPingAnswered';

/** Payload of `DiagnosticPingRequested` on `oms.diagnostics.v1`. */
export class DiagnosticPingRequestedV1 {
  @IsUUID()
  pingId!: string;

  @IsDateString({ strict: true })
  requestedAt!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

/** Payload of `DiagnosticPingAnswered` on `oms.diagnostic-replies.v1`. */
export interface DiagnosticPingAnsweredV1 {
  readonly pingId: string;
  readonly service: string;
  readonly answeredAt: string;
  /** The store adapter the service ran on. */
  readonly storeAdapter: string;
}
