/**
 * `runbook move-step FILE STEP (--before OTHER | --after OTHER | --to N) [--force] [--dry-run]`
 * Moves one step of a runbook file, changing no other byte of it (interpreter/editing), after
 * checking that the move brings in no validation error (a step reading one that no longer runs
 * before it): exit 0 moved, 1 refused (the file is unchanged), 2 usage error, unknown step or a
 * file that is not valid YAML.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { displayPath } from '../../config/index.ts';
import { flowConflicts, introducedDiagnostics, moveStep, outlineSteps, unifiedDiff, type StepPosition } from '../../editing/index.ts';
import { FileChangedError, sha256Hex, writeIfUnchanged } from '../../files/write-if-unchanged.ts';
import { HandlersLoadError, loadHandlerRegistry } from '../../handlers/index.ts';
import { expandRunbookPaths } from '../../loader/expand-paths.ts';
import { formatDiagnosticsPretty } from '../../loader/format-diagnostics.ts';
import { validateRunbookFiles } from '../../loader/validate-files.ts';
import type { Diagnostic } from '../../loader/diagnostic.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig } from '../project-config.ts';

const USAGE = `usage: runbook move-step FILE STEP (--before OTHER | --after OTHER | --to N) [options]

Moves step STEP of runbook FILE, with the comment lines right above it, to another place in
its steps; every other byte of the file stays as it is. The file is validated before and after
the move as \`runbook validate\` does; a move that brings in an error (a step that would read a
step that no longer runs before it, a goto that no longer goes back) is refused, and the file
is left unchanged, unless --force.

options:
  --before OTHER        put STEP right before step OTHER
  --after OTHER         put STEP right after step OTHER
  --to N                put STEP at position N of the steps (1 is the first)
  --force               write the move even if it brings in errors
  --dry-run             print the change as a unified diff and write nothing
  --handlers DIR|FILE   handler entry to check calls against (default: configured, handlers/)
  --skip-handlers       do not load handlers; calls are not checked against them
  -h, --help            show this help

exit status: 0 moved (or already there), 1 refused (the move brings in errors; nothing written),
2 usage error, unknown step, a file that cannot be read or is not valid YAML, handlers that
cannot be loaded`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => moveStepCommand(argv)),
};

interface MoveRequest {
  readonly file: string;
  readonly step: string;
  readonly position: StepPosition;
  /** How the position reads in the one-line report. */
  readonly where: string;
}

function parseRequest(argv: string[]): { request: MoveRequest; values: { force?: boolean; 'dry-run'?: boolean; handlers?: string; 'skip-handlers'?: boolean } } | 'help' {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      before: { type: 'string' },
      after: { type: 'string' },
      to: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      handlers: { type: 'string' },
      'skip-handlers': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 2) throw new UsageError(positionals.length < 2 ? 'name the runbook FILE and the STEP to move' : `too many arguments: ${positionals.slice(2).join(' ')}`);
  const given = (['before', 'after', 'to'] as const).filter((name) => values[name] !== undefined);
  if (given.length !== 1) throw new UsageError(given.length === 0 ? 'say where the step goes: --before OTHER, --after OTHER or --to N' : `--${given.join(' and --')} exclude each other: give one`);
  if (values.handlers !== undefined && values['skip-handlers']) throw new UsageError('--handlers and --skip-handlers exclude each other');
  const [file, step] = positionals;
  let position: StepPosition;
  let where: string;
  if (values.before !== undefined) [position, where] = [{ before: values.before }, `before "${values.before}"`];
  else if (values.after !== undefined) [position, where] = [{ after: values.after }, `after "${values.after}"`];
  else {
    const raw = values.to ?? '';
    if (!/^[1-9][0-9]*$/.test(raw)) throw new UsageError(`--to takes a position from 1 (the first step), not "${raw}"`);
    [position, where] = [{ index: Number(raw) - 1 }, `to position ${raw}`];
  }
  return { request: { file, step, position, where }, values };
}

async function moveStepCommand(argv: string[]): Promise<number> {
  const parsed = parseRequest(argv);
  if (parsed === 'help') {
    process.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  const { request, values } = parsed;
  const { file, step } = request;
  let before: string;
  let baseHash: string;
  try {
    const bytes = await readFile(file);
    baseHash = sha256Hex(bytes);
    before = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    const reason = error instanceof TypeError ? 'it is not UTF-8 text' : error instanceof Error ? error.message : String(error);
    writeError(`cannot read ${file}: ${reason}`);
    return EXIT_USAGE;
  }
  const moved = moveStep(before, step, request.position);
  if (!moved.ok) {
    const at = moved.line !== undefined ? `${file}:${moved.line}:${moved.column ?? 1}: ` : `${file}: `;
    writeError(`${at}${moved.code} ${moved.message}`);
    return EXIT_USAGE;
  }
  const outline = outlineSteps(before) ?? [];
  const from = outline.findIndex((candidate) => candidate.id === step);
  const to = (outlineSteps(moved.text) ?? []).findIndex((candidate) => candidate.id === step);
  if (moved.text === before) {
    process.stdout.write(`step "${step}" is already at position ${from + 1} of ${displayPath(file)}; nothing to move\n`);
    return EXIT_OK;
  }

  const config = cliConfig({ handlers: values['skip-handlers'] ? false : values.handlers });
  let introduced: Diagnostic[];
  try {
    introduced = await introducedErrors(file, before, moved.text, config.handlers.value, config.runbooks.value);
  } catch (error) {
    if (!(error instanceof HandlersLoadError)) throw error;
    writeError(`${error.message} (${config.handlers.source}; --handlers DIR names another, --skip-handlers checks without them)`);
    return EXIT_USAGE;
  }
  const refused = introduced.length > 0 && !values.force;
  if (introduced.length > 0) {
    const conflicts = flowConflicts(outline, step, to).map((conflict) => `  ${conflict.message}\n`).join('');
    writeError(`moving "${step}" ${request.where} brings in ${introduced.length} error${introduced.length === 1 ? '' : 's'}${conflicts ? ':\n' + conflicts.trimEnd() : ''}`);
    process.stderr.write(`the file as it would be after the move:\n${formatDiagnosticsPretty(introduced)}`);
  }
  if (values['dry-run']) {
    process.stdout.write(unifiedDiff(before, moved.text, displayPath(file)));
    if (refused) writeError(`the move would be refused (--force writes it anyway); nothing written (--dry-run)`);
    return refused ? EXIT_FAILED : EXIT_OK;
  }
  if (refused) {
    writeError(`${displayPath(file)} is unchanged; --force writes the move anyway`);
    return EXIT_FAILED;
  }
  try {
    // Only if nobody wrote the file while it was checked (an editor save, a checkout): never last-write-wins.
    await writeIfUnchanged(file, baseHash, moved.text);
  } catch (error) {
    if (!(error instanceof FileChangedError)) throw error;
    writeError(`FILE_CHANGED: ${displayPath(file)} changed while the move was checked; nothing written, run the command again`);
    return EXIT_FAILED;
  }
  const forced = introduced.length > 0 ? ' (with the errors above: --force)' : '';
  process.stdout.write(`moved step "${step}" from position ${from + 1} to ${to + 1} (${request.where}) in ${displayPath(file)}${forced}\n`);
  return EXIT_OK;
}

/** Errors of the moved text that the text before did not have, located in the moved text. */
async function introducedErrors(file: string, before: string, after: string, handlers: string | false, runbooksDir: string): Promise<Diagnostic[]> {
  const target = resolve(file);
  const directories = [...new Set([dirname(target), ...(existsSync(runbooksDir) ? [runbooksDir] : [])])];
  const references = (await expandRunbookPaths(directories)).filter((path) => resolve(path) !== target);
  // Loaded once for both validations (a second load of a TypeScript entry would import it again).
  const registry = handlers === false ? null : await loadHandlerRegistry(handlers);
  const validate = (text: string) =>
    validateRunbookFiles([file], {
      handlers: registry,
      ...(handlers === false ? {} : { handlersDir: handlers }),
      referencePaths: references,
      readFile: async (path) => (resolve(path) === target ? new TextEncoder().encode(text) : readFile(path)),
    });
  const [was, is] = [await validate(before), await validate(after)];
  return introducedDiagnostics(was.diagnostics, is.diagnostics);
}
