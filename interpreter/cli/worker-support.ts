/**
 * What `runbook worker` and `runbook dev` share: the served runbooks (a hot-reloading store),
 * the search attributes, the worker's log lines, and a started interpreter worker.
 */
import type { DocumentStoreSource } from '../documents/index.ts';
import type { Duration } from '@temporalio/common';
import type { ProjectConfig } from '../config/index.ts';
import { DefaultLogger, NativeConnection, Runtime, type LogEntry, type LogLevel, type Worker } from '@temporalio/worker';
import type { Connection } from '@temporalio/client';
import type { AgentRegistry } from '../agents/agent-registry.ts';
import type { HandlerRegistry } from '../handlers/index.ts';
import { createWorkerDefinitions, type WorkerDefinitions } from '../definitions/index.ts';
import type { DefinitionSource } from '../runtime/definition-source.ts';
import { createInterpreterWorker, type InterpreterWorkerOptions } from '../temporal/interpreter-worker.ts';
import { ensureSearchAttributes, searchAttributeCreateCommands } from '../temporal/search-attributes.ts';
import { EXIT_USAGE } from './cli-support.ts';
import { CommandFailed, connectionFailure, connectionOptions, type TemporalSettings } from './temporal-support.ts';
import { processTracing } from './process-tracing.ts';

/**
 * The runbooks the worker serves: a store that watches the directory (hot reload). Invalid
 * files are logged with their diagnostics and skipped; none valid is an error (exit 2).
 */
export async function loadDefinitions(dir: string, handlers: HandlerRegistry, settings: TemporalSettings, stateFile?: string, agents?: AgentRegistry): Promise<WorkerDefinitions> {
  const log = (level: string) => (message: string) => process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
  const definitions = await createWorkerDefinitions(dir, { info: log('INFO'), warn: log('WARN'), error: log('ERROR') }, {
    handlers, taskQueue: settings.taskQueue, namespace: settings.namespace, deferStateFile: true, ...(stateFile ? { stateFile } : {}), ...(agents ? { agents } : {}),
  });
  if (definitions.store.slugs().length === 0) {
    await definitions.close();
    throw new CommandFailed(`no valid runbook in ${dir}/`, EXIT_USAGE);
  }
  return definitions;
}

/**
 * One line per worker log entry (a failed step is expected business, not a crash):
 * `WARN Workflow failed workflowId=... activityType=...: PERIOD_CLOSED: Period ... closed`.
 * RUNBOOK_DEBUG=1 adds the stacks.
 */
export function logLine(entry: LogEntry): void {
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
export async function registerSearchAttributes(client: Connection, namespace: string): Promise<void> {
  try {
    await ensureSearchAttributes(client, namespace);
  } catch (first) {
    try {
      await ensureSearchAttributes(client, namespace);
    } catch {
      const why = first instanceof Error ? first.message : String(first);
      throw new CommandFailed(
        `cannot register the search attributes on namespace "${namespace}" (${why}); create them once with:\n` +
          searchAttributeCreateCommands(namespace).map((command) => `  ${command}`).join('\n'),
      );
    }
  }
}

/** The `worker:` settings as the SDK's worker options (`runbook worker`, `runbook dev`). */
export function workerTuning(worker: ProjectConfig['worker']): NonNullable<InterpreterWorkerOptions['tuning']> {
  return {
    maxConcurrentActivityTaskExecutions: worker.maxConcurrentActivities.value,
    maxConcurrentWorkflowTaskExecutions: worker.maxConcurrentWorkflowTasks.value,
    ...(worker.maxCachedWorkflows.value !== null ? { maxCachedWorkflows: worker.maxCachedWorkflows.value } : {}),
    shutdownGraceTime: worker.shutdownGraceTime.value as Duration,
  };
}

/**
 * Installs the Temporal runtime with one stderr line per log entry and no signal handling of its
 * own (ours stops the worker); with `metrics`, the SDK's Prometheus endpoint on that host:port.
 * It must come before the worker's connection: the runtime is fixed once a connection exists.
 */
export function installWorkerRuntime(options: { metrics?: string } = {}): void {
  try {
    Runtime.install({
      logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as LogLevel | undefined) ?? 'WARN', logLine),
      shutdownSignals: [],
      ...(options.metrics ? { telemetryOptions: { metrics: { prometheus: { bindAddress: options.metrics } } } } : {}),
    });
  } catch (error) {
    // A runtime is already installed (library use): keep it; but a metrics endpoint asked for and not served is an error.
    if (options.metrics) throw new CommandFailed(`METRICS_UNAVAILABLE: cannot serve Prometheus metrics on ${options.metrics} (${error instanceof Error ? error.message : String(error)}); choose a free port (--metrics-port, worker.metrics.port)`);
  }
}

/** Registers the search attributes, connects the worker's own connection and creates the interpreter worker (not yet running; traced when `settings.tracing`). */
export async function startInterpreterWorker(
  settings: TemporalSettings,
  handlers: HandlerRegistry,
  definitions: DefinitionSource,
  client: Connection,
  connected: (native: NativeConnection) => void,
  documents?: DocumentStoreSource,
  tuning?: InterpreterWorkerOptions['tuning'],
  agents?: AgentRegistry,
): Promise<Worker> {
  await registerSearchAttributes(client, settings.namespace);
  let native: NativeConnection;
  try {
    native = await NativeConnection.connect(connectionOptions(settings));
  } catch (error) {
    throw await connectionFailure(settings, error);
  }
  connected(native);
  // With tracing on, the workflow bundle gets the tracing interceptors and the worker the activity side and the span sink.
  const tracing = settings.tracing ? await processTracing(settings.tracing) : undefined;
  return createInterpreterWorker({
    connection: native, namespace: settings.namespace, taskQueue: settings.taskQueue, handlers, definitions,
    ...(documents ? { documents } : {}), ...(tuning ? { tuning } : {}), ...(agents ? { agents } : {}), ...(tracing ? { tracing } : {}),
  });
}
