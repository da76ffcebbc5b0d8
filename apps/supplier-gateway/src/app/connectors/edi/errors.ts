/**
 * Why an X12 text was refused. The gateway maps these to a supplier-facing rejection (or a 997
 * with errors) without parsing messages, so every refusal has its own code.
 */
export type X12ParseErrorCode =
  | 'not-x12'
  | 'missing-isa'
  | 'truncated-isa'
  | 'malformed-isa'
  | 'malformed-envelope'
  | 'wrong-transaction-set'
  | 'multiple-transaction-sets'
  | 'missing-segment'
  | 'invalid-value';

/** Inbound X12 that cannot be read; `message` names the segment or element at fault. */
export class X12ParseError extends Error {
  override readonly name = 'X12ParseError';
  constructor(
    readonly code: X12ParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Outbound data that cannot be expressed as X12 (a delimiter in an id, a fractional quantity…). */
export class X12RenderError extends Error {
  override readonly name = 'X12RenderError';
  constructor(
    /** Dotted path of the offending input field, e.g. `lines[2].quantity`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
