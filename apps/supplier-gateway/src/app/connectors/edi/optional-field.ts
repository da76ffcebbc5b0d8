/**
 * `{ [key]: value }`, or `{}` when the value is undefined, for spreading into readonly results:
 * absent data stays absent instead of becoming `key: undefined`, so results compare cleanly.
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { readonly [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { readonly [P in K]?: V };
}
