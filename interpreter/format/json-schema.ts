/** Builds the published JSON Schema from the zod format definition. */
import { z } from 'zod';
import { RunbookSchema } from './runbook-format.ts';

export const RUNBOOK_SCHEMA_ID = 'https://yaml-runbook.dev/schema/runbook.schema.json';

/** The JSON Schema (draft 2020-12) for a runbook document. */
export function buildRunbookJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(RunbookSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...generated, $id: RUNBOOK_SCHEMA_ID };
}
