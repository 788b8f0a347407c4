/**
 * `runbook validate [PATH|GLOB]... [--format pretty|json|github] [--max-bytes N]`
 * Validates runbook files (default `runbooks/`): exit 0 valid, 1 invalid, 2 usage error.
 */
import { dirname } from 'node:path';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_RUNBOOKS_DIR,
  expandRunbookPaths,
  formatDiagnosticsGithub,
  formatDiagnosticsJson,
  formatDiagnosticsPretty,
  PathNotFoundError,
  validateRunbookFiles,
} from '../../loader/index.ts';
import { EXIT_FAILED, EXIT_OK, parseCommandArgs, UsageError, withUsage } from '../cli-support.ts';
import type { Command } from '../main.ts';

const USAGE = `usage: runbook validate [PATH|GLOB]... [--format pretty|json|github] [--max-bytes N]

Validates runbook files (*.yaml, *.yml) against the JSON Schema and the semantic
checks. Directories are searched recursively; default: ${DEFAULT_RUNBOOKS_DIR}/.

options:
  --format pretty|json|github   output format (default pretty)
  --max-bytes N                 largest accepted file (default ${DEFAULT_MAX_BYTES})
  -h, --help                    show this help

exit status: 0 all valid, 1 problems found, 2 usage error (bad option, no files matched)`;

const FORMATTERS = { pretty: formatDiagnosticsPretty, json: formatDiagnosticsJson, github: formatDiagnosticsGithub } as const;
type Format = keyof typeof FORMATTERS;

export const command: Command = {
  summary: 'Validate runbook files (schema and semantic checks) with located diagnostics',
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

  let files: string[];
  try {
    files = await expandRunbookPaths(positionals);
  } catch (error) {
    if (error instanceof PathNotFoundError) throw new UsageError(error.message);
    throw error;
  }
  if (files.length === 0) throw new UsageError(`no runbook files (*.yaml, *.yml) matched ${positionals.length > 0 ? positionals.join(' ') : `${DEFAULT_RUNBOOKS_DIR}/`}`);

  // Children may live beside the files named: load those siblings for the cross-file checks.
  const siblings = positionals.length > 0 ? await expandRunbookPaths([...new Set(files.map((file) => dirname(file)))]) : [];
  const named = new Set(files);
  const report = await validateRunbookFiles(files, { maxBytes, referencePaths: siblings.filter((file) => !named.has(file)) });

  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  process.stdout.write(FORMATTERS[format](report.diagnostics));
  if (format === 'pretty') {
    if (report.handlersSkipped) process.stderr.write(`note: ${report.handlersSkipped}; handler checks skipped\n`);
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
