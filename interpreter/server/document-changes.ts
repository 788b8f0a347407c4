/**
 * What changed between two versions of a document's value, field by field: objects by key (the
 * newer value's order, then removed keys), arrays by index, anything else by value. Pure.
 *
 * @example
 * changesBetween({ totals: { debit: 1 } }, { totals: { debit: 2 }, note: 'x' });
 * // { changes: [{ path: 'totals.debit', change: 'changed', before: 1, after: 2 }, { path: 'note', change: 'added', after: 'x' }], truncated: false }
 */
import type { DocumentChange } from './document-api.ts';

/** The most changes listed for one version (a rewritten value would otherwise list every field). */
export const MAX_CHANGES = 50;

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `totals` + `debit` → `totals.debit`; a key that is not an identifier is quoted: `accounts["1000"]`. */
function childPath(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

export function changesBetween(before: unknown, after: unknown, limit = MAX_CHANGES): { changes: DocumentChange[]; truncated: boolean } {
  const changes: DocumentChange[] = [];
  let truncated = false;
  const push = (change: DocumentChange): void => {
    if (changes.length < limit) changes.push(change);
    else truncated = true;
  };
  const walk = (path: string, older: unknown, newer: unknown): void => {
    if (truncated) return;
    if (isObject(older) && isObject(newer)) {
      for (const key of Object.keys(newer)) {
        if (!(key in older)) push({ path: childPath(path, key), change: 'added', after: newer[key] });
        else walk(childPath(path, key), older[key], newer[key]);
      }
      for (const key of Object.keys(older)) if (!(key in newer)) push({ path: childPath(path, key), change: 'removed', before: older[key] });
      return;
    }
    if (Array.isArray(older) && Array.isArray(newer)) {
      const shared = Math.min(older.length, newer.length);
      for (let index = 0; index < shared; index += 1) walk(`${path}[${index}]`, older[index], newer[index]);
      for (let index = shared; index < newer.length; index += 1) push({ path: `${path}[${index}]`, change: 'added', after: newer[index] });
      for (let index = shared; index < older.length; index += 1) push({ path: `${path}[${index}]`, change: 'removed', before: older[index] });
      return;
    }
    if (!Object.is(older, newer)) push({ path, change: 'changed', before: older, after: newer });
  };
  walk('', before, after);
  return { changes, truncated };
}
