/**
 * Validates a set of runbook files: each on its own, then across files
 * (duplicate slugs, child runbooks, dispatch cycles).
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_HANDLERS_DIR, loadHandlerRegistry, type HandlerRegistry } from '../handlers/index.ts';
import { builtProjectModules } from '../handlers/import-project-module.ts';
import { childGraphNode } from './child-runbooks.ts';
import { crossFileProblems, orderDiagnostics, type FileOutcome } from './cross-file.ts';
import { agentInputs, type AgentNames } from './checks/index.ts';
import type { Diagnostic } from './diagnostic.ts';
import { checkLoadedAgain, internalDiagnostic, loadWithLocator, type LoadDetails, type LoadedRunbook } from './load-runbook.ts';
import { runOnPool, startParallelLoad, workerCount } from './parallel-load.ts';
import type { WorkerPool } from './worker-pool.ts';
import { runbookSchema } from './runbook-schema.ts';
import type { SourceLocator } from './source-locator.ts';

export interface ValidateOptions {
  /** Handlers to check calls against. Default: loaded from `handlersDir`; `null` skips handler checks. */
  readonly handlers?: HandlerRegistry | null;
  /** Where the default handlers come from; default `handlers/`. Given with `handlers`, it says where those came from (worker threads load the same). */
  readonly handlersDir?: string;
  /** Agents to check agent steps against (an AgentRegistry, or just its names); without it, agent checks are skipped. */
  readonly agents?: AgentNames;
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
  const all = [...paths, ...references];
  const { details, skipped } = await loadRunbookDetails(all, options);
  const outcomes = all.map((file, index) => toOutcome(file, details[index]));
  const locators = new Map<string, SourceLocator>();
  all.forEach((file, index) => {
    const { locator } = details[index];
    if (locator) locators.set(file, locator);
  });
  const diagnostics = outcomes.slice(0, paths.length).flatMap((outcome) => outcome.diagnostics);
  const problems = crossFileProblems(outcomes.slice(0, paths.length), outcomes.slice(paths.length));
  if (problems instanceof Error) diagnostics.push(internalDiagnostic(paths[0] ?? '', problems));
  else {
    for (const { file, problem } of problems) {
      const locator = locators.get(file);
      if (locator) diagnostics.push(locator.place(problem, (other) => locators.get(other)));
    }
  }
  orderDiagnostics(paths, diagnostics);
  const failed = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const runbooks = details.slice(0, paths.length).flatMap(({ result }) => (result.ok && !failed.has(result.runbook.file) ? [result.runbook] : []));
  return { runbooks, diagnostics, ...(skipped ? { handlersSkipped: skipped } : {}) };
}

/** Compiles the schema now rather than at the first file, so a caller can overlap it with other work (loading handlers). */
export function prepareValidation(): void {
  try {
    runbookSchema();
  } catch {
    // the first load reports it, as RB_INTERNAL
  }
}

/** A file's load details as the cross-file step sees them. */
export function toOutcome(file: string, details: LoadDetails): FileOutcome {
  const { result, slug, schemaValid } = details;
  return { file, diagnostics: result.diagnostics, ...(slug !== undefined ? { slug } : {}), ...(schemaValid ? { node: childGraphNode(file, schemaValid.runbook) } : {}) };
}

/**
 * Loads every file on its own (no cross-file checks), in order; large batches also on worker
 * threads. Handlers as in ValidateOptions; throws HandlersLoadError when they cannot be loaded.
 */
export async function loadRunbookDetails(all: readonly string[], options: ValidateOptions & LoadSources = {}): Promise<{ details: LoadDetails[]; skipped?: string }> {
  // Large batches: workers start now, so they boot while this thread loads its handlers. Only when
  // a worker can do exactly what this thread would: read the same bytes, load the same handlers.
  const sameHandlers = options.handlers === undefined || options.handlers === null || options.handlersDir !== undefined;
  const sameBytes = options.readFile === undefined || options.sources !== undefined;
  const workers = sameBytes && sameHandlers ? workerCount(all.length) : 0;
  const handlersDir = options.handlers === null ? undefined : (options.handlersDir ?? DEFAULT_HANDLERS_DIR);
  const sources = options.sources ? all.map((file) => options.sources?.get(file)) : undefined;
  // Agent names cross to workers as a list; agent inputs (zod contracts) are checked on this thread.
  const agentNames = options.agents ? [...options.agents.names()] : undefined;
  const parallel = options.workerPool
    ? runOnPool(options.workerPool, all, sources, agentNames)
    : workers > 0
      ? startParallelLoad(all, { handlersDir, maxBytes: options.maxBytes, builtModules: builtProjectModules(), ...(agentNames ? { agentNames } : {}) }, workers, sources)
      : undefined;
  const { handlers, skipped } = await resolveHandlers(options);
  const loadOptions = { handlers, agents: options.agents, maxBytes: options.maxBytes, readFile: options.readFile ?? readFile };
  let details: LoadDetails[];
  if (parallel) {
    const loaded = await parallel(loadOptions);
    // Workers had the agents' names only (zod contracts do not cross threads): their files' agent inputs are checked here.
    details = options.agents?.get ? loaded.details.map((one, index) => (loaded.byWorker.has(index) ? checkLoadedAgain(one, { ...loadOptions, checks: [agentInputs] }) : one)) : loaded.details;
  } else details = (await loadAll(all, loadOptions)).map(({ details }) => details);
  return { details, ...(skipped ? { skipped } : {}) };
}

/** Bytes the caller has read already, by path (with `readFile` serving the same): workers validate them as they are. */
export interface LoadSources {
  readonly sources?: ReadonlyMap<string, Uint8Array>;
  /** Workers booted beforehand (bootWorkers) for these files, with the same handlers and limits. */
  readonly workerPool?: WorkerPool;
}

interface Loaded {
  readonly file: string;
  readonly details: LoadDetails;
}

async function loadAll(paths: readonly string[], options: { handlers?: HandlerRegistry; agents?: AgentNames; maxBytes?: number; readFile: (path: string) => Promise<Uint8Array> }): Promise<Loaded[]> {
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
