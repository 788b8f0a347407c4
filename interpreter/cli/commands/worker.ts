/**
 * `runbook worker [--runbooks DIR] [--handlers DIR] [--task-queue Q]`
 * Validates and loads the runbooks, loads the handlers, registers the search attributes and
 * runs the interpreter workflow's Temporal worker until SIGINT/SIGTERM (graceful shutdown).
 * Exit 0 after a clean shutdown, 1 when Temporal cannot be reached, 2 usage error or no valid runbook.
 */
import { existsSync } from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime, type LogEntry, type LogLevel, type Worker } from '@temporalio/worker';
import { loadHandlerRegistry, type HandlerRegistry } from '../../handlers/index.ts';
import { displayPath } from '../../config/index.ts';
import { createWorkerDefinitions, type WorkerDefinitions } from '../../definitions/index.ts';
import type { DefinitionSource } from '../../runtime/definition-source.ts';
import { createInterpreterWorker } from '../../temporal/interpreter-worker.ts';
import { ensureSearchAttributes } from '../../temporal/search-attributes.ts';
import { SEARCH_ATTRIBUTES } from '../../temporal/workflow-contract.ts';
import type { Connection } from '@temporalio/client';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig } from '../project-config.ts';
import {
  CommandFailed, connectClient, TASK_QUEUE_OPTION, TEMPORAL_QUEUE_ENV_HELP, TemporalUnreachableError, temporalSettings, withTemporalErrors,
  type TemporalSettings,
} from '../temporal-support.ts';

const USAGE = `usage: runbook worker [--runbooks DIR] [--handlers DIR] [--task-queue Q] [--state-file FILE]

Runs a Temporal worker for the runbook interpreter until Ctrl-C (SIGINT/SIGTERM: finishes
the tasks in hand, then exits). Invalid runbook files are reported and skipped; the
search attributes the interpreter needs are registered on the namespace if missing.
The runbooks directory is watched: a saved valid file serves new starts of its slug,
an invalid one is reported and the previous definition stays (docs/hot-reload.md);
\`runbook definitions\` lists what the worker serves.

options:
  --runbooks DIR      runbook definitions to serve (default: configured, runbooks/)
  --handlers DIR      handler entry (default: configured, handlers/)
  --task-queue Q      task queue to poll (default: $TEMPORAL_TASK_QUEUE, configured, runbooks)
  --state-file FILE   where to record the served definitions (default STATE_DIR/worker-definitions.json)
  -h, --help          show this help

${TEMPORAL_QUEUE_ENV_HELP}
  TEMPORAL_LOG_LEVEL    worker log level (default WARN)

exit status: 0 stopped cleanly, 1 Temporal unreachable or worker failure, 2 usage error or no valid runbook`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => worker(argv)),
};

/**
 * The runbooks the worker serves: a store that watches the directory (hot reload). Invalid
 * files are logged with their diagnostics and skipped; none valid is an error (exit 2).
 */
async function loadDefinitions(dir: string, handlers: HandlerRegistry, settings: TemporalSettings, stateFile?: string): Promise<WorkerDefinitions> {
  const log = (level: string) => (message: string) => process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
  const definitions = await createWorkerDefinitions(dir, { info: log('INFO'), warn: log('WARN'), error: log('ERROR') }, {
    handlers, taskQueue: settings.taskQueue, namespace: settings.namespace, deferStateFile: true, ...(stateFile ? { stateFile } : {}),
  });
  if (definitions.store.slugs().length === 0) {
    await definitions.close();
    throw new CommandFailed(`no valid runbook in ${dir}/`, EXIT_USAGE);
  }
  return definitions;
}

async function worker(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      runbooks: { type: 'string' },
      handlers: { type: 'string' },
      ...TASK_QUEUE_OPTION,
      'state-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const config = cliConfig({ runbooks: values.runbooks, handlers: values.handlers });
  const runbooksDir = displayPath(config.runbooks.value);
  if (!existsSync(runbooksDir)) throw new UsageError(`runbooks directory ${runbooksDir} does not exist (${config.runbooks.source})`);
  if (config.handlers.value === false) throw new UsageError(`a worker needs handlers (${config.handlers.source} says false)`);
  const handlersDir = config.handlers.value;
  const stateFile = values['state-file'] ?? config.state.workerStateFile;
  const settings = temporalSettings(values['task-queue']);

  return withTemporalErrors(
    () => settings,
    async () => {
      // A handlers entry that cannot be loaded is exit 2 with its file and cause (main.ts).
      const handlers: HandlerRegistry = await loadHandlerRegistry(handlersDir);
      const definitions = await loadDefinitions(runbooksDir, handlers, settings, stateFile);
      try {
        const client = await connectClient(settings);
        try {
          // Only a worker that reached its server records what it serves (never clobbering a live worker's file).
          await definitions.publish();
          return await serve(settings, handlers, definitions.store, client);
        } finally {
          await client.close().catch(() => undefined);
        }
      } finally {
        await definitions.close();
      }
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

/**
 * ensureSearchAttributes, tolerating another worker registering them at the same moment;
 * a server that refuses (no permission) gets the command to run instead.
 */
async function registerSearchAttributes(client: Connection, namespace: string): Promise<void> {
  try {
    await ensureSearchAttributes(client, namespace);
  } catch (first) {
    try {
      await ensureSearchAttributes(client, namespace);
    } catch {
      const why = first instanceof Error ? first.message : String(first);
      const names = Object.values(SEARCH_ATTRIBUTES).map((name) => `--name ${name}`).join(' ');
      throw new CommandFailed(
        `cannot register the search attributes on namespace "${namespace}" (${why}); create them once with:\n` +
          `  temporal operator search-attribute create --namespace ${namespace} --type Keyword ${names}`,
      );
    }
  }
}

/** Registers the search attributes, runs the worker until a signal stops it. */
async function serve(settings: TemporalSettings, handlers: HandlerRegistry, definitions: DefinitionSource, client: Connection): Promise<number> {
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

  let native: NativeConnection | undefined;
  try {
    await registerSearchAttributes(client, settings.namespace);
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
  }
}
