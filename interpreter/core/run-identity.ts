/** The input fields that identify a run to people (the runbook's `identity`). Sandbox-safe. */
import type { Runbook } from '../format/runbook-format.ts';

const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean']);
const DEFAULT_FIELDS = 3;

/** The declared `identity`, or the input schema's required scalar properties (at most three). */
export function identityFields(definition: Runbook): string[] {
  if (definition.identity) return [...definition.identity];
  const schema = definition.input as { required?: unknown; properties?: Record<string, { type?: unknown }> } | undefined;
  if (!schema || !Array.isArray(schema.required) || !schema.properties) return [];
  return schema.required
    .filter((name): name is string => typeof name === 'string' && SCALAR_TYPES.has(String(schema.properties?.[name]?.type)))
    .slice(0, DEFAULT_FIELDS);
}

/** `{ field: value }` of the identity fields present in the input. */
export function identityOf(definition: Runbook, input: unknown): Record<string, unknown> {
  const identity: Record<string, unknown> = {};
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return identity;
  for (const field of identityFields(definition)) {
    const value = (input as Record<string, unknown>)[field];
    if (value !== undefined) identity[field] = value;
  }
  return identity;
}
