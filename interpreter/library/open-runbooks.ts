/**
 * The shortest way in from code: validate a runbooks directory, load the handlers, and
 * get an in-process runtime to start runs on.
 */
import { expandRunbookPaths, formatDiagnosticsPretty, validateRunbookFiles, type Diagnostic } from '../loader/index.ts';
import { HandlerRegistry, loadHandlerRegistry, type HandlerLogger } from '../handlers/index.ts';
import { displayPath, resolveProjectConfig } from '../config/index.ts';
import { StaticDefinitions } from '../runtime/definition-source.ts';
import type { Clock } from '../runtime/clock.ts';
import { LocalRuntime } from '../runtime/local/index.ts';

export interface OpenRunbooksOptions {
  /** Directory (or files, globs) of runbooks; default: `runbooks` of the project's runbook.config.yaml, else `runbooks/`. */
  readonly runbooks?: string | readonly string[];
  /** A handlers directory (its index.ts exports `handlers`), a registry, or `false` for none; default: the config's `handlers`, else `handlers/`. */
  readonly handlers?: string | HandlerRegistry | false;
  readonly clock?: Clock;
  readonly logger?: HandlerLogger;
}

/** Some runbook files are invalid: every located diagnostic, all at once. */
export class RunbooksInvalidError extends Error {
  readonly code = 'RUNBOOK_INVALID';
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`RUNBOOK_INVALID: ${diagnostics.length} problem(s)\n${formatDiagnosticsPretty(diagnostics)}`);
    this.name = 'RunbooksInvalidError';
  }
}

/**
 * Validates every runbook (schema and semantic checks, as `runbook validate`) and returns an
 * in-process runtime serving them. Throws RunbooksInvalidError when any file has an error.
 *
 * @example
 * const runtime = await openRunbooks({ runbooks: 'runbooks', handlers: 'handlers' });
 * runtime.onEvent((event) => console.log(event.type, 'stepId' in event ? event.stepId : ''));
 * const run = runtime.start('journal-proposal', input);
 * console.log(await run.waitForPendingAction()); // the review, once the run reaches it
 * await run.userAction({ action: 'approved' });
 * console.log(await run.result());
 */
export async function openRunbooks(options: OpenRunbooksOptions = {}): Promise<LocalRuntime> {
  // What is not given comes from the project's configuration, as for the CLI.
  const config = options.runbooks === undefined || options.handlers === undefined ? resolveProjectConfig() : undefined;
  const handlerSource = options.handlers ?? config?.handlers.value ?? false;
  const handlers = typeof handlerSource === 'object' ? handlerSource : handlerSource === false ? new HandlerRegistry([]) : await loadHandlerRegistry(handlerSource);
  const sources = options.runbooks ?? displayPath(config!.runbooks.value);
  const files = await expandRunbookPaths(typeof sources === 'string' ? [sources] : [...sources]);
  const report = await validateRunbookFiles(files, { handlers });
  const errors = report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) throw new RunbooksInvalidError(errors);
  const definitions = new StaticDefinitions(report.runbooks.map((loaded) => ({ runbook: loaded.runbook, hash: loaded.hash })));
  return new LocalRuntime({ definitions, handlers, clock: options.clock, logger: options.logger });
}
