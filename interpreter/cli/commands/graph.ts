/**
 * `runbook graph SLUG|FILE [--format mermaid|dot] [--runbooks DIR]`
 * Prints a runbook as a diagram: Mermaid flowchart text (default) or a Graphviz digraph.
 * Exit 0 printed, 1 the runbook is not valid (its located diagnostics on stderr), 2 usage error
 * or unknown runbook (with a did-you-mean).
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { displayPath } from '../../config/index.ts';
import { runbookGraph, toDot, toMermaid } from '../../graph/index.ts';
import { didYouMean } from '../../loader/did-you-mean.ts';
import { expandRunbookPaths, formatDiagnosticsPretty, PathNotFoundError, validateRunbookFiles, type Diagnostic, type LoadedRunbook } from '../../loader/index.ts';
import { loadRunbookDetails } from '../../loader/validate-files.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig } from '../project-config.ts';
import { isFileArgument } from '../run/load-definitions.ts';

const USAGE = `usage: runbook graph SLUG|FILE [--format mermaid|dot] [--runbooks DIR]

Prints the runbook as a diagram on stdout: its steps in order, \`when\` conditions, review
outcomes, error routes and deadlines (go-backs drawn back up), child runbooks and fan-outs,
and the ends where a run fails. Mermaid renders in Markdown on GitHub and GitLab; for dot:
\`runbook graph SLUG --format dot | dot -Tsvg > SLUG.svg\` (Graphviz).

Handlers are not loaded: the diagram does not need them (\`runbook validate\` checks calls).

options:
  --format mermaid|dot   output format (default mermaid)
  --runbooks DIR         runbooks to load, for slugs and children (default: configured, runbooks/)
  -h, --help             show this help

exit status: 0 printed, 1 the runbook is not valid (diagnostics on stderr), 2 usage error or
unknown runbook`;

const RENDERERS = { mermaid: toMermaid, dot: toDot } as const;
type Format = keyof typeof RENDERERS;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => graph(argv)),
};

async function graph(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'mermaid' },
      runbooks: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name a runbook slug or file' : `one runbook at a time, got ${positionals.join(' ')}`);
  const [target] = positionals;
  const format = values.format ?? 'mermaid';
  if (!isFormat(format)) throw new UsageError(`unknown --format "${format}" (mermaid or dot)`);
  const config = cliConfig({ runbooks: values.runbooks });
  const runbooksDir = displayPath(config.runbooks.value);

  const files = await runbookFiles(target, runbooksDir, values.runbooks !== undefined);
  const report = await validateRunbookFiles(files, { handlers: null });
  const found = await findTarget(target, files, report.runbooks, report.diagnostics, runbooksDir);
  if ('unknown' in found) {
    writeError(found.unknown);
    return EXIT_USAGE;
  }
  const errors = found.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (!found.runbook || errors.length > 0) {
    process.stderr.write(formatDiagnosticsPretty(found.diagnostics));
    writeError(`${target} is not a valid runbook; \`runbook validate\` lists its problems`);
    return EXIT_FAILED;
  }
  // Warnings do not stop the diagram; they are said on stderr so stdout stays the diagram alone.
  if (found.diagnostics.length > 0) process.stderr.write(formatDiagnosticsPretty(found.diagnostics));
  process.stdout.write(RENDERERS[format](runbookGraph(found.runbook.runbook)));
  return EXIT_OK;
}

function isFormat(value: string): value is Format {
  return Object.hasOwn(RENDERERS, value);
}

/** Every runbook of the directory (children and slugs resolve there), plus the named file. */
async function runbookFiles(target: string, runbooksDir: string, dirGiven: boolean): Promise<string[]> {
  const paths: string[] = [];
  try {
    if (existsSync(runbooksDir)) paths.push(...(await expandRunbookPaths([runbooksDir])));
    else if (dirGiven) throw new UsageError(`--runbooks ${runbooksDir}: no such directory`);
  } catch (error) {
    throw error instanceof PathNotFoundError ? new UsageError(error.message) : error;
  }
  if (isFileArgument(target)) {
    if (!existsSync(target)) throw new UsageError(`no such runbook file: ${target}`);
    paths.push(target);
  }
  const unique = new Map(paths.map((path) => [resolve(path), path]));
  return [...unique.keys()].map((path) => relative(process.cwd(), path) || path);
}

type Target = { readonly runbook: LoadedRunbook | undefined; readonly diagnostics: readonly Diagnostic[] } | { readonly unknown: string };

/** The named runbook with its own diagnostics; for a slug no file declares, what to say instead. */
async function findTarget(target: string, files: readonly string[], valid: readonly LoadedRunbook[], diagnostics: readonly Diagnostic[], runbooksDir: string): Promise<Target> {
  const ofFile = (file: string): Diagnostic[] => diagnostics.filter((diagnostic) => resolve(diagnostic.file) === resolve(file));
  if (isFileArgument(target)) return { runbook: valid.find((runbook) => resolve(runbook.file) === resolve(target)), diagnostics: ofFile(target) };
  const runbook = valid.find((candidate) => candidate.slug === target);
  if (runbook) return { runbook, diagnostics: ofFile(runbook.file) };
  // Not among the valid ones: an invalid file may declare it (its problems are the answer).
  const invalid = files.filter((file) => !valid.some((candidate) => resolve(candidate.file) === resolve(file)));
  const { details } = await loadRunbookDetails(invalid, { handlers: null });
  const declaring = invalid.find((_, index) => details[index].slug === target);
  if (declaring) return { runbook: undefined, diagnostics: ofFile(declaring) };
  const known = [...valid.map((candidate) => candidate.slug), ...details.flatMap((detail) => (detail.slug ? [detail.slug] : []))].sort();
  return { unknown: `RUNBOOK_UNKNOWN: no runbook "${target}" in ${runbooksDir}/${didYouMean(target, known)}${known.length > 0 ? ` (loaded: ${known.join(', ')})` : ''}` };
}
