/** The runbooks, handlers and agents a CLI run uses: every runbook under `--runbooks` plus the named file, validated. */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Diagnostic } from '../../loader/index.ts';
import { expandRunbookPaths, formatDiagnosticsPretty, PathNotFoundError, validateRunbookFiles } from '../../loader/index.ts';
import { didYouMean } from '../../loader/did-you-mean.ts';
import { locateExpressions } from '../../loader/expression-locations.ts';
import type { AgentRegistry } from '../../agents/agent-registry.ts';
import { HandlerRegistry, loadHandlerRegistry } from '../../handlers/index.ts';
import { StaticDefinitions, type ResolvedDefinition } from '../../runtime/definition-source.ts';
import { UsageError } from '../cli-support.ts';

export interface RunDefinitions {
  readonly definitions: StaticDefinitions;
  readonly handlers: HandlerRegistry;
  /** The project's agents; undefined when it has none. */
  readonly agents?: AgentRegistry;
  /** The slug to start. */
  readonly slug: string;
}

/** Validation failed: the diagnostics to print; the command exits 2. */
export class DefinitionsInvalid extends Error {
  readonly code = 'RUNBOOK_INVALID';
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    super(message);
  }

  /** The diagnostics, pretty, then the message. */
  pretty(): string {
    return formatDiagnosticsPretty(this.diagnostics) + `runbook: ${this.message}\n`;
  }
}

/** A positional that names a file (it exists, or looks like one) rather than a slug. */
export function isFileArgument(target: string): boolean {
  return /\.ya?ml$/i.test(target) || target.includes('/') || (existsSync(target) && statSync(target).isFile());
}

async function runbookFiles(target: string, runbooksDir: string, dirGiven: boolean): Promise<string[]> {
  const paths: string[] = [];
  if (existsSync(runbooksDir)) paths.push(...(await expandRunbookPaths([runbooksDir])));
  else if (dirGiven) throw new UsageError(`--runbooks ${runbooksDir}: no such directory`);
  if (isFileArgument(target)) {
    if (!existsSync(target)) throw new UsageError(`no such runbook file: ${target}`);
    paths.push(target);
  }
  // One entry per file, however it was spelled.
  const unique = new Map(paths.map((path) => [resolve(path), path]));
  return [...unique.keys()].map((path) => relative(process.cwd(), path) || path);
}

/**
 * Loads handlers, then validates every runbook file. Invalid sibling runbooks are reported
 * but only stop the run when the target itself is not valid.
 */
export async function loadRunDefinitions(target: string, options: { runbooksDir: string; dirGiven: boolean; handlersDir: string | undefined; agents?: AgentRegistry }): Promise<RunDefinitions & { notes: Diagnostic[]; otherInvalid: string[] }> {
  // A handlers entry that cannot be loaded is exit 2 naming the file and the cause (main.ts); none configured: no handlers.
  const handlers: HandlerRegistry = options.handlersDir === undefined ? new HandlerRegistry([]) : await loadHandlerRegistry(options.handlersDir);
  let files: string[];
  try {
    files = await runbookFiles(target, options.runbooksDir, options.dirGiven);
  } catch (error) {
    if (error instanceof PathNotFoundError) throw new UsageError(error.message);
    throw error;
  }
  const report = await validateRunbookFiles(files, { handlers, ...(options.agents ? { agents: options.agents } : {}) });
  const targetFile = isFileArgument(target) ? relative(process.cwd(), resolve(target)) || target : undefined;
  const loaded = targetFile ? report.runbooks.find((r) => resolve(r.file) === resolve(targetFile)) : report.runbooks.find((r) => r.slug === target);
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded) {
    const relevant = targetFile ? report.diagnostics.filter((d) => resolve(d.file) === resolve(targetFile)) : errors;
    const known = report.runbooks.map((r) => r.slug).sort();
    const message = targetFile
      ? `${target} is not a valid runbook`
      : relevant.length > 0
        ? `no valid runbook "${target}" (some runbook files have errors)`
        : `no runbook "${target}" in ${options.runbooksDir}/${didYouMean(target, known)}${known.length ? ` (loaded: ${known.join(', ')})` : ''}`;
    throw new DefinitionsInvalid(message, relevant.length > 0 ? relevant : errors);
  }
  const resolved: ResolvedDefinition[] = report.runbooks.map((r) => ({ runbook: r.runbook, hash: r.hash, expressionLocations: locateExpressions(r.file, r.source, r.runbook) }));
  // The target's own problems in full; other files' errors only counted (they do not stop this run).
  const notes = report.diagnostics.filter((d) => resolve(d.file) === resolve(loaded.file));
  const others = new Set(errors.filter((d) => resolve(d.file) !== resolve(loaded.file)).map((d) => d.file));
  return { definitions: new StaticDefinitions(resolved), handlers, ...(options.agents ? { agents: options.agents } : {}), slug: loaded.slug, notes, otherInvalid: [...others].sort() };
}
