/**
 * `runbook validate [PATH|GLOB]... [--format pretty|json|github] [--handlers DIR | --skip-handlers] [--agents DIR | --skip-agents] [--max-bytes N] [--no-cache]`
 * Validates runbook files (default: the configured runbooks directory): exit 0 valid, 1 invalid,
 * 2 usage error or handlers (agents) that cannot be loaded. Results are cached by content in the state
 * directory. Imports only the light loader modules: a warm run loads no parser at all.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { displayPath } from '../../config/index.ts';
import { AgentsLoadError } from '../../agents/agent-registry.ts';
import { HandlersLoadError } from '../../handlers/index.ts';
import { DEFAULT_MAX_BYTES } from '../../loader/decode-source.ts';
import { expandRunbookPaths, PathNotFoundError } from '../../loader/expand-paths.ts';
import { formatDiagnosticsGithub, formatDiagnosticsJson, formatDiagnosticsPretty } from '../../loader/format-diagnostics.ts';
import { validateRunbookFilesCached } from '../../loader/validate-cached.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { agentsEntry, cliConfig } from '../project-config.ts';

const USAGE = `usage: runbook validate [PATH|GLOB]... [options]

Validates runbook files (*.yaml, *.yml) against the JSON Schema, the semantic checks
and the handlers' contracts. Directories are searched recursively; default: the
configured runbooks directory (\`runbook config\`).

options:
  --format pretty|json|github   output format (default pretty)
  --handlers DIR|FILE           handler entry to check calls against (default: configured, handlers/)
  --skip-handlers               do not load handlers; calls are not checked against them
  --agents DIR|FILE             agent entry to check agent steps against (default: configured, else
                                agents/ when it exists)
  --skip-agents                 do not load agents; agent names are not checked
  --max-bytes N                 largest accepted file (default ${DEFAULT_MAX_BYTES})
  --no-cache                    validate every file afresh (the cache, keyed by content, lives in
                                the state directory: .runbook/cache/validate by default)
  -h, --help                    show this help

exit status: 0 all valid, 1 problems found, 2 usage error (bad option, no files matched,
handlers or agents that cannot be loaded)`;

const FORMATTERS = { pretty: formatDiagnosticsPretty, json: formatDiagnosticsJson, github: formatDiagnosticsGithub } as const;
type Format = keyof typeof FORMATTERS;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => validate(argv)),
};

async function validate(argv: string[]): Promise<number> {
  // `runbook validate | head` closes the pipe early; that is not a failure worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'pretty' },
      'max-bytes': { type: 'string' },
      handlers: { type: 'string' },
      'skip-handlers': { type: 'boolean' },
      agents: { type: 'string' },
      'skip-agents': { type: 'boolean' },
      'no-cache': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  const format = values.format ?? 'pretty';
  if (!isFormat(format)) throw new UsageError(`unknown --format "${format}" (pretty, json or github)`);
  const maxBytes = parseMaxBytes(values['max-bytes']);
  if (values.handlers !== undefined && values['skip-handlers']) throw new UsageError('--handlers and --skip-handlers exclude each other');
  if (values.agents !== undefined && values['skip-agents']) throw new UsageError('--agents and --skip-agents exclude each other');
  const config = cliConfig({ handlers: values['skip-handlers'] ? false : values.handlers, agents: values['skip-agents'] ? false : values.agents });
  const agents = agentsEntry(config);
  const defaultDir = displayPath(config.runbooks.value);

  let files: string[];
  try {
    files = await expandRunbookPaths(positionals.length > 0 ? positionals : [defaultDir]);
  } catch (error) {
    if (error instanceof PathNotFoundError) throw new UsageError(error.message);
    throw error;
  }
  if (files.length === 0) throw new UsageError(`no runbook files (*.yaml, *.yml) matched ${positionals.length > 0 ? positionals.join(' ') : `${defaultDir}/`}`);

  // Children may live beside the files named: load those siblings for the cross-file checks.
  const siblings = positionals.length > 0 ? await expandRunbookPaths([...new Set(files.map((file) => dirname(file)))]) : [];
  const named = new Set(files);
  const handlers = config.handlers.value;
  let report;
  try {
    report = await validateRunbookFilesCached(files, {
      maxBytes,
      referencePaths: siblings.filter((file) => !named.has(file)),
      handlersDir: handlers === false ? null : handlers,
      ...(agents === undefined ? {} : { agentsDir: agents }),
      ...(values['no-cache'] ? {} : { cacheDir: config.state.validateCache }),
    });
  } catch (error) {
    if (error instanceof AgentsLoadError) {
      const hint = values.agents === undefined ? ` (${config.agents.source}; --agents DIR names another, --skip-agents checks without them)` : '';
      writeError(`${error.message}${hint}`);
      return EXIT_USAGE;
    }
    if (!(error instanceof HandlersLoadError)) throw error;
    const hint = values.handlers === undefined ? ` (${config.handlers.source}; --handlers DIR names another, --skip-handlers checks without them)` : '';
    writeError(`${(error as HandlersLoadError).message}${hint}`);
    return EXIT_USAGE;
  }

  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  process.stdout.write(FORMATTERS[format](report.diagnostics));
  // Said on stderr in every format, so a skipped check is never silent.
  if (report.handlersSkipped) process.stderr.write(`runbook: note: ${report.handlersSkipped} (${values['skip-handlers'] ? 'flag --skip-handlers' : config.handlers.source}); calls were not checked against handler contracts\n`);
  if (agents === undefined) {
    const why = values['skip-agents'] ? 'flag --skip-agents' : config.agents.value === false ? config.agents.source : `no ${displayPath(String(config.agents.value))}/ directory`;
    const using = await filesWithAgentSteps(files);
    if (using.length > 0) {
      process.stderr.write(`runbook: note: agent checks disabled (${why}); agent steps (${using.slice(0, 3).join(', ')}${using.length > 3 ? ', …' : ''}) were not checked against registered agents, and \`runbook run\` needs them registered\n`);
    }
  }
  if (format === 'pretty') {
    const warningText = warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
    process.stdout.write(`${files.length} file${files.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}${warningText}\n`);
  }
  return errors > 0 ? EXIT_FAILED : EXIT_OK;
}

function isFormat(value: string): value is Format {
  return Object.hasOwn(FORMATTERS, value);
}

function parseMaxBytes(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_MAX_BYTES;
  if (!/^[1-9][0-9]*$/.test(raw)) throw new UsageError(`--max-bytes must be a positive whole number of bytes, not "${raw}"`);
  return Number(raw);
}

/** The files that look like they hold an agent step (a step's `agent:` key), for the note when agent checks are off. */
async function filesWithAgentSteps(files: readonly string[]): Promise<string[]> {
  const found = await Promise.all(files.map(async (file) => ((await readFile(file, 'utf8').catch(() => '')).match(/^[ \t-]+agent:/m) ? [displayPath(file)] : [])));
  return found.flat();
}
