/**
 * The format of `runbook.config.yaml`, the project's configuration: the one source of truth
 * (zod); `schema/runbook-config.schema.json` is generated from it for editor completion.
 *
 * YAML, like the runbooks themselves: comments allowed, the same editor set-up, and data only
 * (an executable config file would need a TypeScript loader at every start and could not be
 * checked statically).
 */
import { z } from 'zod';

export { CONFIG_FILE_NAMES } from './find-config.ts';

const relativePath = z.string().min(1);

export const TemporalConfigSchema = z
  .strictObject({
    address: z.string().regex(/^(?:\[[^\]]+\]|[^:\s]+):\d+$/, 'host:port').optional().describe('Temporal frontend host:port (TEMPORAL_ADDRESS wins). Default 127.0.0.1:7233.'),
    namespace: z.string().min(1).optional().describe('Temporal namespace (TEMPORAL_NAMESPACE wins). Default "default".'),
    task_queue: z.string().min(1).optional().describe('Task queue of `runbook worker` and `runbook start` (TEMPORAL_TASK_QUEUE and --task-queue win). Default "runbooks".'),
  })
  .describe('Where the Temporal commands connect.');

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema of this file, for editor completion.'),
    runbooks: relativePath.optional().describe('Directory of runbook files, relative to this file. Default "runbooks".'),
    handlers: z
      .union([relativePath, z.literal(false)])
      .optional()
      .describe('Handler entry: a directory with index.ts / index.js, or the file itself, relative to this file. `false`: this project has no handlers (handler checks are skipped). Default "handlers".'),
    state_dir: relativePath.optional().describe('Where generated state lives (worker state files, the validation cache), relative to this file. Default ".runbook"; add it to .gitignore.'),
    temporal: TemporalConfigSchema.optional(),
  })
  .describe('yaml-runbook project configuration (runbook.config.yaml), found by walking up from the working directory.');

export type ConfigFile = z.infer<typeof ConfigSchema>;

/** The JSON Schema of the config file (generated into schema/runbook-config.schema.json). */
export function buildConfigJsonSchema(): Record<string, unknown> {
  return { $id: 'https://yaml-runbook.dev/schema/runbook-config.schema.json', ...z.toJSONSchema(ConfigSchema, { target: 'draft-2020-12' }) } as Record<string, unknown>;
}
