/**
 * `runbook worker [--runbooks DIR] [--handlers DIR] [--task-queue Q]`
 * Validates and loads the runbooks, loads the handlers, registers the search attributes and
 * runs the interpreter workflow's Temporal worker until SIGINT/SIGTERM (graceful shutdown).
 * Exit 0 after a clean shutdown, 1 when Temporal cannot be reached, 2 usage error or no valid runbook.
 */
import { existsSync } from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime, type LogEntry, type LogLevel, type Worker } from '@temporalio/worker';
import { DEFAULT_HANDLERS_DIR, loadHandlerRegistry, type HandlerRegistry } from '../../handlers/index.ts';
import { DEFAULT_RUNBOOKS_DIR, expandRunbookPaths, formatDiagnosticsPretty, PathNotFoundError, validateRunbookFiles } from '../../loader/index.ts';
import { StaticDefinitions, type DefinitionSource } from '../../runtime/definition-source.ts';
import { createInterpreterWorker } from '../../temporal/interpreter-worker.ts';
import { ensureSearchAttributes } from '../../temporal/search-attributes.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../main.ts';
import {
  CommandFailed, connectClient, TASK_QUEUE_OPTION, TEMPORAL_ENV_HELP, TemporalUnreachableError, temporalSettings, withTemporalErrors,
  type TemporalSettings,
} from '../temporal-support.ts';

const USAGE = `usage: runbook worker [--runbooks DIR] [--handlers DIR] [--task-queue Q]

Runs a Temporal worker for the runbook interpreter until Ctrl-C (SIGINT/SIGTERM: finishes
the tasks in hand, then exits). Invalid runbook files are reported and skipped; the
search attributes the interpreter needs are registered on the namespace if missing.

options:
  --runbooks DIR      runbook definitions to serve (default ${DEFAULT_RUNBOOKS_DIR}/)
  --handlers DIR      handler modules (default ${DEFAULT_HANDLERS_DIR}/)
  --task-queue Q      task queue to poll (default $TEMPORAL_TASK_QUEUE or runbooks)
  -h, --help          show this help

${TEMPORAL_ENV_HELP}
  TEMPORAL_LOG_LEVEL    worker log level (default WARN)

exit status: 0 stopped cleanly, 1 Temporal unreachable or worker failure, 2 usage error or no valid runbook`;

export const command: Command = {
  summary: 'Run a Temporal worker that executes runbooks',
  run: (argv) => withUsage(USAGE, () => worker(argv)),
};

/**
 * The runbooks the worker serves, validated. Invalid files are printed and skipped; none
 * valid is an error (exit 2). A hot-reloading DefinitionSource can replace this function.
 */
async function loadDefinitions(dir: string, handlers: HandlerRegistry): Promise<DefinitionSource> {
  let files: string[];
  try {
    files = await expandRunbookPaths([dir]);
  } catch (error) {
    if (error instanceof PathNotFoundError) throw new UsageError(`--runbooks ${dir}: ${error.message}`);
    throw error;
  }
  const report = await validateRunbookFiles(files, { handlers });
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    process.stderr.write(formatDiagnosticsPretty(errors));
    const skipped = new Set(errors.map((d) => d.file)).size;
    process.stderr.write(`runbook: skipping ${skipped} invalid runbook file${skipped === 1 ? '' : 's'}\n`);
  }
  if (report.runbooks.length === 0) throw new CommandFailed(`no valid runbook in ${dir}/`, EXIT_USAGE);
  return new StaticDefinitions(report.runbooks.map((r) => ({ runbook: r.runbook, hash: r.hash })));
}

async function worker(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      runbooks: { type: 'string' },
      handlers: { type: 'string' },
      ...TASK_QUEUE_OPTION,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const runbooksDir = values.runbooks ?? DEFAULT_RUNBOOKS_DIR;
  const handlersDir = values.handlers ?? DEFAULT_HANDLERS_DIR;
  if (!existsSync(runbooksDir)) throw new UsageError(`--runbooks ${runbooksDir}: no such directory`);
  const settings = temporalSettings(values['task-queue']);

  return withTemporalErrors(
    () => settings,
    async () => {
      let handlers: HandlerRegistry;
      try {
        handlers = await loadHandlerRegistry(handlersDir);
      } catch (error) {
        throw new UsageError(`--handlers ${handlersDir}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const definitions = await loadDefinitions(runbooksDir, handlers);
      return serve(settings, handlers, definitions);
    },
  );
}

/**
 * One line per worker log entry (a failed step is expected business, not a crash):
 * `WARN Workflow failed workflowId=... activityType=...: PERIOD_CLOSED: Period ... closed`.
 * RUNBOOK_DEBUG=1 adds the stacks.
 */
function logLine(entry: LogEntry): void {
  const { error, ...meta } = (entry.meta ?? {}) as Record<string, unknown>;
  const where = ['workflowId', 'activityType', 'taskQueue']
    .filter((key) => typeof meta[key] === 'string')
    .map((key) => `${key}=${String(meta[key])}`)
    .join(' ');
  let why = '';
  if (error instanceof Error) {
    const type = (error as { type?: unknown }).type;
    why = `: ${typeof type === 'string' && type ? `${type}: ` : ''}${error.message}`;
    if (process.env.RUNBOOK_DEBUG) why += `\n${error.stack}`;
  } else if (error !== undefined) {
    why = `: ${String(error)}`;
  }
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  process.stderr.write(`${time} ${entry.level} ${entry.message}${where ? ` ${where}` : ''}${why}\n`);
}

/** Connects, registers the search attributes, runs the worker until a signal stops it. */
async function serve(settings: TemporalSettings, handlers: HandlerRegistry, definitions: DefinitionSource): Promise<number> {
  // We stop the worker ourselves on SIGINT/SIGTERM, also while it is still being set up.
  try {
    Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as LogLevel | undefined) ?? 'WARN', logLine), shutdownSignals: [] });
  } catch {
    // A runtime is already installed (library use): keep it.
  }
  let signalled: NodeJS.Signals | undefined;
  let running: Worker | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = signal;
    process.stderr.write(`runbook: ${signal}: stopping the worker\n`);
    try {
      if (running?.getState() === 'RUNNING') running.shutdown();
    } catch {
      // Already stopping.
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const client = await connectClient(settings);
  let native: NativeConnection | undefined;
  try {
    await ensureSearchAttributes(client, settings.namespace);
    try {
      native = await NativeConnection.connect({ address: settings.address });
    } catch (error) {
      throw new TemporalUnreachableError(settings.address, error instanceof Error ? error.message : String(error));
    }
    running = await createInterpreterWorker({ connection: native, namespace: settings.namespace, taskQueue: settings.taskQueue, handlers, definitions });
    if (signalled) return EXIT_FAILED;
    process.stdout.write(
      `runbook worker: ${settings.address} namespace ${settings.namespace} task queue ${settings.taskQueue}; runbooks: ${definitions.slugs().join(', ')}\n`,
    );
    try {
      await running.run();
    } catch (error) {
      writeError(`the worker stopped: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT_FAILED;
    }
    process.stderr.write('runbook: worker stopped\n');
    return EXIT_OK;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await native?.close().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}
