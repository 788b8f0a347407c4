/** Ids for new steps: the first free `<base>_<n>`, and the check a given id must pass. Pure. */

export const STEP_ID_PATTERN = /^[a-z][a-z0-9_]*$/;

/** `<base>_1`, `<base>_2`, ...: the first not in `taken`. */
export function freeStepId(base: string, taken: readonly string[]): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}
