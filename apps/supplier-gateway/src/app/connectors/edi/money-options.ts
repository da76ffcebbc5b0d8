/** How to read amounts: the fraction digits of the order's currency (2 for USD, 0 for JPY, 3 for KWD). */
export type MoneyOptions = {
  readonly currencyExponent?: number;
};

/** USD-style cents unless told otherwise: our suppliers invoice in the retailer's currency. */
export const DEFAULT_CURRENCY_EXPONENT = 2;

export function currencyExponent(options: MoneyOptions | undefined): number {
  return options?.currencyExponent ?? DEFAULT_CURRENCY_EXPONENT;
}
