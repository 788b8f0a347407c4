import { createHash } from 'node:crypto';

/**
 * A short deterministic id from its parts, e.g. `stableId('tb', key)` → `tb-3f1a…`.
 * Same parts, same id: this is what makes the fakes idempotent and their outputs
 * identical on every runtime.
 */
export function stableId(prefix: string, ...parts: readonly string[]): string {
  const hash = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${prefix}-${hash.slice(0, 16)}`;
}
