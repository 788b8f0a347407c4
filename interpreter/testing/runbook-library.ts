/**
 * The runbooks a set of cases may name by slug: every runbook file of the project's runbooks
 * directory, validated once (schema and semantic checks; handler checks are the cases' own,
 * since a mocked handler need not exist yet). Node side.
 */
import { existsSync } from 'node:fs';
import { expandRunbookPaths, validateRunbookFiles, type Diagnostic } from '../loader/index.ts';
import { locateExpressions } from '../loader/expression-locations.ts';
import type { ResolvedDefinition } from '../runtime/definition-source.ts';

export interface RunbookLibrary {
  /** The directory the slugs come from (for messages); undefined when there is none. */
  readonly dir?: string;
  /** Valid runbooks by slug. */
  readonly bySlug: ReadonlyMap<string, ResolvedDefinition & { readonly file: string }>;
  /** Problems of the files, by the slug they declare when known (a case naming it reports them). */
  readonly problems: readonly Diagnostic[];
  /** Every slug seen, valid or not (did-you-mean candidates). */
  readonly slugs: readonly string[];
}

/** An empty library: cases with inline runbooks only. */
export const NO_RUNBOOKS: RunbookLibrary = { bySlug: new Map(), problems: [], slugs: [] };

/**
 * Validates every runbook under `dir` (a missing directory is an empty library).
 *
 * @example
 * const library = await loadRunbookLibrary('runbooks');
 * library.bySlug.get('month-end-close')?.runbook.steps.length;
 */
export async function loadRunbookLibrary(dir: string): Promise<RunbookLibrary> {
  if (!existsSync(dir)) return { ...NO_RUNBOOKS, dir };
  const files = (await expandRunbookPaths([dir])).filter((file) => !isCaseFileName(file));
  const report = await validateRunbookFiles(files, { handlers: null });
  const bySlug = new Map(report.runbooks.map((loaded) => [loaded.slug, { runbook: loaded.runbook, hash: loaded.hash, file: loaded.file, expressionLocations: locateExpressions(loaded.file, loaded.source, loaded.runbook) }] as const));
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  return { dir, bySlug, problems: errors, slugs: [...bySlug.keys()].sort() };
}

/** Test case files are named `*.test.yaml` / `*.test.yml`. */
export function isCaseFileName(file: string): boolean {
  return /\.test\.ya?ml$/i.test(file);
}
