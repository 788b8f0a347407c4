/**
 * `runbook worker [--runbooks DIR] [--handlers DIR] [--agents DIR] [--task-queue Q] [connection] [--metrics-port N] [--health-port N]`
 * Validates and loads the runbooks, loads the handlers, registers the search attributes, syncs the
 * runbooks' schedules (at start and on every hot reload) and runs the interpreter workflow's
 * Temporal worker until SIGINT/SIGTERM (graceful shutdown).
 * Exit 0 after a clean shutdown, 1 when Temporal cannot be reached, 2 usage error or no valid runbook.
 */
import { existsSync } from 'node:fs';
import { Client, type Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { loadHandlerRegistry, type HandlerRegistry } from '../../handlers/index.ts';
import { displayPath } from '../../config/index.ts';
import type { DefinitionStore } from '../../definitions/index.ts';
import { EXIT_FAILED, EXIT_OK, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig } from '../project-config.ts';
import { projectDocuments } from '../project-documents.ts';
import type { DocumentStore } from '../../documents/index.ts';
import {
  CONNECTION_OPTIONS,
  connectClient,
  TASK_QUEUE_OPTION,
  TEMPORAL_QUEUE_ENV_HELP,
  temporalSettings,
  withTemporalErrors,
  type TemporalSettings,
} from '../temporal-support.ts';
import { describeCredentials } from '../temporal-credentials.ts';
import { hostPort, serveHealth, type HealthEndpoint } from '../worker-health.ts';
import { installWorkerRuntime, loadDefinitions, startInterpreterWorker, workerTuning } from '../worker-support.ts';
import type { CliConfig } from '../project-config.ts';
import { loadProjectAgents } from '../project-agents.ts';
import type { AgentRegistry } from '../../agents/agent-registry.ts';
import { keepSchedulesSynced, type ScheduleKeeper } from '../schedule-support.ts';

const USAGE = `usage: runbook worker [--runbooks DIR] [--handlers DIR] [--agents DIR] [--task-queue Q] [--state-file FILE] [--metrics-port N] [--health-port N] [connection options]

Runs a Temporal worker for the runbook interpreter until Ctrl-C (SIGINT/SIGTERM: finishes
the tasks in hand, then exits). Invalid runbook files are reported and skipped; the
search attributes the interpreter needs are registered on the namespace if missing.
The runbooks directory is watched: a saved valid file serves new starts of its slug,
an invalid one is reported and the previous definition stays (docs/hot-reload.md);
\`runbook definitions\` lists what the worker serves. The runbooks' schedules: are kept in
step with Temporal Schedules on the task queue, at start and on every reload
(\`runbook schedules list\` shows them).

options:
  --runbooks DIR      runbook definitions to serve (default: configured, runbooks/)
  --handlers DIR      handler entry (default: configured, handlers/)
  --agents DIR        agent entry (default: configured, else agents/ when it exists)
  --task-queue Q      task queue to poll (default: $TEMPORAL_TASK_QUEUE, configured, runbooks)
  --state-file FILE   where to record the served definitions (default STATE_DIR/worker-definitions.json)
  --metrics-port N    serve the SDK's Prometheus metrics on N (/metrics; worker.metrics in the config)
  --health-port N     serve GET /healthz on N: 200 while the worker runs, 503 otherwise (worker.health)
  -h, --help          show this help

Concurrency, the sticky cache and the shutdown grace time are set in runbook.config.yaml's
worker: section (\`runbook config\` shows them).

${TEMPORAL_QUEUE_ENV_HELP}
  TEMPORAL_LOG_LEVEL    worker log level (default WARN)
  OTEL_EXPORTER_OTLP_ENDPOINT   trace collector (OTLP/HTTP): runs and activities as OpenTelemetry spans
                        (tracing: in the config; OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_PROTOCOL)

exit status: 0 stopped cleanly, 1 Temporal unreachable or worker failure, 2 usage error or no valid runbook`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => worker(argv)),
};

async function worker(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      runbooks: { type: 'string' },
      handlers: { type: 'string' },
      agents: { type: 'string' },
      ...TASK_QUEUE_OPTION,
      'state-file': { type: 'string' },
      'metrics-port': { type: 'string' },
      'health-port': { type: 'string' },
      ...CONNECTION_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const config = cliConfig({ runbooks: values.runbooks, handlers: values.handlers, agents: values.agents, metricsPort: portFlag('metrics-port', values['metrics-port']), healthPort: portFlag('health-port', values['health-port']) });
  const runbooksDir = displayPath(config.runbooks.value);
  if (!existsSync(runbooksDir)) throw new UsageError(`runbooks directory ${runbooksDir} does not exist (${config.runbooks.source})`);
  if (config.handlers.value === false) throw new UsageError(`a worker needs handlers (${config.handlers.source} says false)`);
  const handlersDir = config.handlers.value;
  const stateFile = values['state-file'] ?? config.state.workerStateFile;
  const settings = temporalSettings(values['task-queue'], values);

  return withTemporalErrors(
    () => settings,
    async () => {
      // A handlers entry that cannot be loaded is exit 2 with its file and cause (main.ts).
      const handlers: HandlerRegistry = await loadHandlerRegistry(handlersDir);
      // So is an agents entry; none configured and no agents/: agent steps fail with AGENT_UNKNOWN.
      const agents = await loadProjectAgents(config);
      const definitions = await loadDefinitions(runbooksDir, handlers, settings, stateFile, agents);
      try {
        const client = await connectClient(settings);
        try {
          // Only a worker that reached its server records what it serves (never clobbering a live worker's file).
          await definitions.publish();
          return await serve(settings, config, { handlers, agents }, definitions.store, client, projectDocuments(config));
        } finally {
          await client.close().catch(() => undefined);
        }
      } finally {
        await definitions.close();
      }
    },
  );
}

/** A port flag's value: an integer 1-65535. */
function portFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--${flag} must be a port number (1-65535), got "${value}"`);
  return port;
}

/** Registers the search attributes, runs the worker until a signal stops it. */
async function serve(settings: TemporalSettings, config: CliConfig, { handlers, agents }: { handlers: HandlerRegistry; agents: AgentRegistry | undefined }, definitions: DefinitionStore, client: Connection, documents: () => Promise<DocumentStore>): Promise<number> {
  const { metrics, health } = config.worker;
  const metricsAddress = metrics.port.value !== null ? hostPort(metrics.host.value, metrics.port.value) : undefined;
  // We stop the worker ourselves on SIGINT/SIGTERM, also while it is still being set up.
  installWorkerRuntime(metricsAddress ? { metrics: metricsAddress } : {});
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
  let healthz: HealthEndpoint | undefined;
  let schedules: ScheduleKeeper | undefined;
  try {
    if (health.port.value !== null) healthz = await serveHealth(health.host.value, health.port.value, () => running?.getState() ?? 'STARTING');
    running = await startInterpreterWorker(settings, handlers, definitions, client, (connection) => (native = connection), documents, workerTuning(config.worker), agents);
    if (signalled) return EXIT_FAILED;
    // The runbooks' schedules become Temporal Schedules, now and on every hot reload (docs/temporal.md#schedules).
    const log = (level: string) => (message: string) => process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
    schedules = keepSchedulesSynced(new Client({ connection: client, namespace: settings.namespace }), definitions, settings.taskQueue, { info: log('INFO'), warn: log('WARN') });
    const connection = describeCredentials(settings.credentials ?? { tls: null, apiKey: null }, settings.apiKeyEnv);
    const endpoints = [metricsAddress ? `metrics http://${metricsAddress}/metrics` : '', healthz ? `health ${healthz.url}` : '', settings.tracing ? `tracing ${settings.tracing.url} (${settings.tracing.protocol})` : ''].filter(Boolean).join(', ');
    process.stdout.write(
      `runbook worker: ${settings.address} namespace ${settings.namespace} task queue ${settings.taskQueue}; runbooks: ${definitions.slugs().join(', ')}; ${agents ? `agents: ${agents.names().join(', ') || 'none'}; ` : ''}${connection}${endpoints ? `; ${endpoints}` : ''}\n`,
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
    schedules?.stop();
    await schedules?.settled();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await healthz?.close().catch(() => undefined);
    await native?.close().catch(() => undefined);
  }
}
