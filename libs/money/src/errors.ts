/** Every error this library throws; catch this to catch them all. */
export class MoneyError extends Error {
  override readonly name: string = 'MoneyError';
}

/** A code that is not an ISO 4217 code with a defined number of minor units. */
export class UnknownCurrencyError extends MoneyError {
  override readonly name = 'UnknownCurrencyError';
  constructor(readonly code: unknown) {
    super(`Unknown currency ${JSON.stringify(code)}: not an ISO 4217 code with defined minor units`);
  }
}

/** Two amounts in different currencies were combined. */
export class CurrencyMismatchError extends MoneyError {
  override readonly name = 'CurrencyMismatchError';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`Currency mismatch: expected ${expected}, got ${actual}`);
  }
}

/** A decimal amount has more (non-zero) fractional digits than its currency allows. */
export class MoneyPrecisionError extends MoneyError {
  override readonly name = 'MoneyPrecisionError';
  constructor(
    readonly text: string,
    readonly currency: string,
    readonly digits: number,
  ) {
    super(`${JSON.stringify(text)} has more precision than ${currency} allows (${digits} fractional digits)`);
  }
}

/** An amount (given or computed) that is not a safe integer number of minor units. */
export class MoneyRangeError extends MoneyError {
  override readonly name = 'MoneyRangeError';
}

/** Text that is not a plain decimal number. */
export class MoneyFormatError extends MoneyError {
  override readonly name = 'MoneyFormatError';
  constructor(
    readonly text: string,
    reason: string,
  ) {
    super(`Not a decimal amount ${JSON.stringify(text)}: ${reason}`);
  }
}

/** Weights or counts that cannot be allocated over. */
export class AllocationError extends MoneyError {
  override readonly name = 'AllocationError';
}
