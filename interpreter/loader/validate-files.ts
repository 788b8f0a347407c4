/**
 * Validates a set of runbook files: each on its own, then across files
 * (duplicate slugs, child runbooks, dispatch cycles).
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_HANDLERS_DIR, loadHandlerRegistry, type HandlerRegistry } from '../handlers/index.ts';
import { checkChildRunbooks } from './child-runbooks.ts';
import type { Diagnostic } from './diagnostic.ts';
import { internalDiagnostic, loadWithLocator, type LoadDetails, type LoadedRunbook } from './load-runbook.ts';
import { startParallelLoad, workerCount } from './parallel-load.ts';
import type { SourceLocator } from './source-locator.ts';

export interface ValidateOptions {
  /** Handlers to check calls against. Default: loaded from `handlersDir`; `null` skips handler checks. */
  readonly handlers?: HandlerRegistry | null;
  /** Where the default handlers come from; default `handlers/`. */
  readonly handlersDir?: string;
  /** Largest accepted file in bytes; default 1 MiB. */
  readonly maxBytes?: number;
  /** Other runbook files that children may name; loaded for cross-file checks, their own problems not reported. */
  readonly referencePaths?: readonly string[];
  /** Reads a file's bytes; default `fs.readFile`. Lets a caller validate exactly the bytes it already read (the definition store). */
  readonly readFile?: (path: string) => Promise<Uint8Array>;
}

export interface ValidationReport {
  /** The runbooks that validated (even if others did not). */
  readonly runbooks: LoadedRunbook[];
  /** Every problem, errors and warnings, grouped by file in input order, then by position. */
  readonly diagnostics: Diagnostic[];
  /** Set when handler checks were skipped, saying why. */
  readonly handlersSkipped?: string;
}

/**
 * Loads and validates every file, reporting all problems at once. Never throws for bad files;
 * throws HandlersLoadError when the handlers cannot be loaded (`handlers: null` skips their checks).
 *
 * @example
 * const report = await validateRunbookFiles(await expandRunbookPaths(['runbooks/']));
 * process.exitCode = hasErrors(report.diagnostics) ? 1 : 0;
 */
export async function validateRunbookFiles(paths: readonly string[], options: ValidateOptions = {}): Promise<ValidationReport> {
  const listed = new Set(paths);
  const references = (options.referencePaths ?? []).filter((path) => !listed.has(path));
  // Large batches: workers start now, so they boot while this thread loads its handlers. Only when
  // a worker can do exactly what this thread would: read the files itself, load the same handlers.
  const all = [...paths, ...references];
  const workers = options.readFile === undefined && (options.handlers === undefined || options.handlers === null) ? workerCount(all.length) : 0;
  const handlersDir = options.handlers === null ? undefined : (options.handlersDir ?? DEFAULT_HANDLERS_DIR);
  const parallel = workers > 0 ? startParallelLoad(all, { handlersDir, maxBytes: options.maxBytes }, workers) : undefined;
  const { handlers, skipped } = await resolveHandlers(options);
  const loadOptions = { handlers, maxBytes: options.maxBytes, readFile: options.readFile ?? readFile };
  let checked: Loaded[];
  let referenced: Loaded[];
  if (parallel) {
    const loaded = (await parallel(loadOptions)).map((details, index): Loaded => ({ file: all[index], details }));
    checked = loaded.slice(0, paths.length);
    referenced = loaded.slice(paths.length);
  } else {
    [checked, referenced] = await Promise.all([loadAll(paths, loadOptions), loadAll(references, loadOptions)]);
  }

  const diagnostics: Diagnostic[] = checked.flatMap(({ details }) => details.result.diagnostics);
  const runbooks = checked.flatMap(({ details }) => (details.result.ok ? [details.result.runbook] : []));
  // Cross-file checks also cover files with semantic errors, as long as they passed the schema.
  const typed = (entries: Loaded[]): LoadedRunbook[] => entries.flatMap(({ details }) => (details.schemaValid ? [details.schemaValid] : []));
  const brokenSlugs = new Set([...checked, ...referenced].flatMap(({ details }) => (!details.schemaValid && details.slug ? [details.slug] : [])));
  const locators = new Map<string, SourceLocator>();
  for (const { file, details } of [...checked, ...referenced]) if (details.locator) locators.set(file, details.locator);

  try {
    for (const { file, problem } of checkChildRunbooks(typed(checked), [...typed(checked), ...typed(referenced)], brokenSlugs)) {
      const locator = locators.get(file);
      if (locator) diagnostics.push(locator.place(problem, (other) => locators.get(other)));
    }
  } catch (error) {
    diagnostics.push(internalDiagnostic(paths[0] ?? '', error));
  }
  const order = new Map(paths.map((path, index) => [path, index]));
  diagnostics.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.column - b.column);
  const failed = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  return { runbooks: runbooks.filter((r) => !failed.has(r.file)), diagnostics, ...(skipped ? { handlersSkipped: skipped } : {}) };
}

interface Loaded {
  readonly file: string;
  readonly details: LoadDetails;
}

async function loadAll(paths: readonly string[], options: { handlers?: HandlerRegistry; maxBytes?: number; readFile: (path: string) => Promise<Uint8Array> }): Promise<Loaded[]> {
  return Promise.all(
    paths.map(async (file): Promise<Loaded> => {
      let bytes: Uint8Array;
      try {
        bytes = await options.readFile(file);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const diagnostic: Diagnostic = { code: 'RB_READ_FAILED', severity: 'error', message: `cannot read file: ${reason}`, pointer: '', file, line: 1, column: 1 };
        return { file, details: { result: { ok: false, diagnostics: [diagnostic] } } };
      }
      return { file, details: loadWithLocator(bytes, file, options) };
    }),
  );
}

/** The handlers to check against; a directory that cannot be loaded throws HandlersLoadError (never a silent skip). */
async function resolveHandlers(options: ValidateOptions): Promise<{ handlers?: HandlerRegistry; skipped?: string }> {
  if (options.handlers === null) return { skipped: 'handler checks disabled' };
  if (options.handlers) return { handlers: options.handlers };
  return { handlers: await loadHandlerRegistry(options.handlersDir ?? DEFAULT_HANDLERS_DIR) };
}
