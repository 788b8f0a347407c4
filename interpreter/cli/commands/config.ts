/**
 * `runbook config [--format pretty|json]`: the resolved configuration, each value with where it
 * came from (default, runbook.config.yaml:LINE, env VAR, flag).
 */
import { redactedUrl } from '../../documents/postgres-document-store.ts';
import { displayPath } from '../../config/index.ts';
import { EXIT_OK, parseCommandArgs, UsageError, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig } from '../project-config.ts';

const USAGE = `usage: runbook config [--format pretty|json]

Prints the configuration every command uses: runbook.config.yaml (the nearest one at or above
the working directory, or RUNBOOK_CONFIG), then the environment (TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, RUNBOOK_STATE_DIR), then a command's flags.

options:
  --format pretty|json   output format (default pretty)
  -h, --help             show this help`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => showConfig(argv)),
};

async function showConfig(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { options: { format: { type: 'string', default: 'pretty' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (values.format !== 'pretty' && values.format !== 'json') throw new UsageError(`unknown --format "${values.format}" (pretty or json)`);
  const config = cliConfig();
  const path = (value: string | false): string => (value === false ? 'false (handler checks off)' : displayPath(value));
  const rows: [string, string, string][] = [
    ['runbooks', path(config.runbooks.value), config.runbooks.source],
    ['handlers', path(config.handlers.value), config.handlers.source],
    ['state_dir', path(config.stateDir.value), config.stateDir.source],
    ['temporal.address', config.temporal.address.value, config.temporal.address.source],
    ['temporal.namespace', config.temporal.namespace.value, config.temporal.namespace.source],
    ['temporal.task_queue', config.temporal.taskQueue.value, config.temporal.taskQueue.source],
    ['documents', config.documents.url.value ? redactedUrl(config.documents.url.value) : `${path(config.state.documentsFile)} (embedded SQLite)`, config.documents.url.source],
  ];
  if (values.format === 'json') {
    const settings = Object.fromEntries(rows.map(([key, value, source]) => [key, { value, source }]));
    process.stdout.write(`${JSON.stringify({ file: config.file ?? null, root: config.root, settings }, null, 2)}\n`);
    return EXIT_OK;
  }
  process.stdout.write(`config file: ${config.file ? displayPath(config.file) : 'none (defaults; `runbook init` writes runbook.config.yaml)'}\n`);
  const width = Math.max(...rows.map(([key]) => key.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  for (const [key, value, source] of rows) process.stdout.write(`  ${key.padEnd(width)}  ${value.padEnd(valueWidth)}  (${source})\n`);
  return EXIT_OK;
}
