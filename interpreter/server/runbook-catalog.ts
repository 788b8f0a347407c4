/**
 * The runbooks the console offers: their start-form schema, signal forms, identity fields and a
 * sample input (the `<slug>.input.json` beside the runbook file). Node side (reads sample files).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Runbook } from '../index.ts';
import type { RunbookSummary } from './console-api.ts';
import type { CatalogEntry } from './console-backend.ts';

const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean']);
const MAX_DEFAULT_IDENTITY = 3;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The input fields that identify a run: the runbook's `identity`, else its input schema's required
 * properties of scalar type (at most three), as the engine derives them.
 */
export function identityFields(runbook: Runbook): string[] {
  const declared = (runbook as { identity?: unknown }).identity;
  if (Array.isArray(declared)) return declared.filter((field): field is string => typeof field === 'string');
  const schema = runbook.input;
  if (!isRecord(schema) || !Array.isArray(schema.required) || !isRecord(schema.properties)) return [];
  const properties = schema.properties;
  return schema.required
    .filter((field): field is string => typeof field === 'string')
    .filter((field) => {
      const property = properties[field];
      return isRecord(property) && typeof property.type === 'string' && SCALAR_TYPES.has(property.type);
    })
    .slice(0, MAX_DEFAULT_IDENTITY);
}

export function summaryOf(entry: CatalogEntry): RunbookSummary {
  const { runbook } = entry;
  const signals: Record<string, { description: string | null; payload_schema: object | null }> = {};
  for (const [name, spec] of Object.entries(runbook.signals ?? {})) {
    signals[name] = { description: spec.description ?? null, payload_schema: isRecord(spec.payload) ? spec.payload : null };
  }
  return {
    slug: runbook.slug,
    title: runbook.title,
    description: runbook.description?.trim() ?? null,
    input_schema: isRecord(runbook.input) ? runbook.input : null,
    signals,
    identity: identityFields(runbook),
    sample_input: entry.sampleInput ?? null,
  };
}

/** The sample input beside a runbook file (`<slug>.input.json`), or null when there is none or it is not JSON. */
export function sampleInputBeside(file: string, slug: string): unknown {
  const path = join(dirname(file), `${slug}.input.json`);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

export function sortedCatalog(entries: Iterable<CatalogEntry>): CatalogEntry[] {
  return [...entries].sort((a, b) => (a.runbook.slug < b.runbook.slug ? -1 : a.runbook.slug > b.runbook.slug ? 1 : 0));
}
