/**
 * The `set` / `clear` operations that turn a step's old form data into its new one, at the deepest
 * mapping that changed (editing `call.timeout` sends `set call.timeout`, never the whole `call`), so
 * the server rewrites only the lines of the fields a person touched. Arrays and scalars are set whole.
 */
import type { EditOperation } from '../../shared/api/index.ts';

type Path = readonly (string | number)[];

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Absent for the file: undefined, or a mapping holding nothing but absent values (rjsf fills in `{}` for untouched objects). */
export function isAbsent(value: unknown): boolean {
  if (value === undefined) return true;
  return isRecord(value) && Object.values(value).every(isAbsent);
}

/** Structural equality of JSON-like values (key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => sameValue(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!(isAbsent(a[key]) && isAbsent(b[key])) && !sameValue(a[key], b[key])) return false;
    return true;
  }
  return false;
}

function diffInto(step: string, path: Path, before: unknown, after: unknown, out: EditOperation[]): void {
  if (isAbsent(after)) {
    if (!isAbsent(before)) out.push({ op: 'clear', step, path });
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) diffInto(step, [...path, key], before[key], after[key], out);
    return;
  }
  if (!sameValue(before, after)) out.push({ op: 'set', step, path, value: after });
}

/**
 * The operations from `before` to `after` (both a step's mapping as plain data); `id` is never
 * diffed (renaming a step is not an edit of one field: other steps refer to it).
 */
export function fieldOperations(step: string, before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): EditOperation[] {
  const out: EditOperation[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete('id');
  for (const key of keys) diffInto(step, [key], before[key], after[key], out);
  return out;
}
