/** Exhaustiveness guard for switches over step kinds. */
export function assertNever(value: never): never {
  throw new Error(`RB_INTERNAL: unexpected value ${JSON.stringify(value)}`);
}
