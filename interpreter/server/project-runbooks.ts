/**
 * The project's runbooks as the console serves them: every file under the runbooks directory
 * validated (schema, semantic and handler checks, as `runbook validate`), the valid ones as
 * definitions to run in-process and as the catalog of startable runbooks with their sample inputs.
 * Invalid files are returned with their diagnostics, not thrown: the console serves the rest.
 */
import { existsSync } from 'node:fs';
import { expandRunbookPaths, StaticDefinitions, validateRunbookFiles, type Diagnostic, type HandlerRegistry } from '../index.ts';
import type { CatalogEntry } from './console-backend.ts';
import { sampleInputBeside, sortedCatalog } from './runbook-catalog.ts';

export interface ProjectRunbooks {
  readonly definitions: StaticDefinitions;
  readonly catalog: readonly CatalogEntry[];
  /** Errors of the files that are not served. */
  readonly errors: readonly Diagnostic[];
}

export async function loadProjectRunbooks(runbooksDir: string, handlers: HandlerRegistry | undefined, agents?: { names(): readonly string[] }): Promise<ProjectRunbooks> {
  const files = existsSync(runbooksDir) ? await expandRunbookPaths([runbooksDir]) : [];
  const report = await validateRunbookFiles(files, { handlers: handlers ?? null, ...(agents ? { agents } : {}) });
  const errors = report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  const broken = new Set(errors.map((diagnostic) => diagnostic.file));
  const valid = report.runbooks.filter((loaded) => !broken.has(loaded.file));
  return {
    definitions: new StaticDefinitions(valid.map((loaded) => ({ runbook: loaded.runbook, hash: loaded.hash }))),
    catalog: sortedCatalog(valid.map((loaded) => ({ runbook: loaded.runbook, sampleInput: sampleInputBeside(loaded.file, loaded.slug) }))),
    errors,
  };
}
