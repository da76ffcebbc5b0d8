/** The `default` of an exhaustive switch: adding a case to the union makes the compiler point here. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case ${JSON.stringify(value)}`);
}
