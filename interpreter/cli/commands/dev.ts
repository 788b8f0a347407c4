/**
 * `runbook dev [--port P] [--host H] [--temporal-port N] [--runbooks DIR] [--handlers DIR] [--agents DIR] [--task-queue Q]`
 * The embedded default in one command: a Temporal dev server whose state lives in the project's
 * state directory (STATE_DIR/temporal/dev-server.sqlite, on a port remembered beside it, so runs and
 * the address survive a restart), a hot-loading worker for the project's runbooks and handlers, and
 * the console against them. Prints `export TEMPORAL_ADDRESS=...` and `console: http://HOST:PORT/`
 * once ready; Ctrl-C stops all three (the runs stay in the state directory). Exit 0 after a clean
 * stop, 1 when the dev server or the worker fails, 2 usage or configuration errors.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { displayPath } from '../../config/index.ts';
import type { WorkerDefinitions } from '../../definitions/index.ts';
import { TemporalBackend } from '../../server/temporal-backend.ts';
import { findFreePort, startDevServer, type DevServer } from '../../temporal/dev-server.ts';
import { TemporalRunClient } from '../../temporal/temporal-run-client.ts';
import { DEV_SERVER_SEARCH_ATTRIBUTES } from '../../temporal/search-attributes.ts';
import { DEFAULT_TEMPORAL_ADDRESS } from '../../config/index.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig, type CliConfig } from '../project-config.ts';
import { sharedProjectDocuments } from '../project-documents.ts';
import { consoleBinding, CONSOLE_OPTIONS, editorOptions, listenConsole, loadConsoleProject, portFlag, stopSignals, storeCatalog } from '../console-support.ts';
import { CommandFailed, connectTemporal, TASK_QUEUE_OPTION, tracingSettings, withTemporalErrors, type TemporalSettings } from '../temporal-support.ts';
import { installWorkerRuntime, loadDefinitions, startInterpreterWorker, workerTuning } from '../worker-support.ts';
import { keepSchedulesSynced, type ScheduleKeeper } from '../schedule-support.ts';

const USAGE = `usage: runbook dev [--port P] [--host H] [--temporal-port N] [options]

Starts, in one command, what a small team needs on one machine: a Temporal dev server whose
state is kept in the project's state directory (runs survive a restart of \`runbook dev\`), a
worker that hot-loads the runbooks directory, and the console. Prints
\`export TEMPORAL_ADDRESS=...\` (for other commands and the Temporal CLI) and
\`console: http://HOST:PORT/\`; Ctrl-C stops everything, the runs stay.

options:
  --port P            console port (default: console.port, else 4600; 0 for a free one)
  --host H            console address (default: console.host, else 127.0.0.1)
  --temporal-port N   the dev server's port (default: a local temporal.address's port, else the
                      one remembered in STATE_DIR/temporal/dev-server.port, else a free one, remembered)
  --runbooks DIR      runbooks to serve (default: configured, runbooks/)
  --handlers DIR      handler entry (default: configured, handlers/)
  --agents DIR        agent entry (default: configured, else agents/ when it exists)
  --task-queue Q      the worker's task queue (default: configured, runbooks)
  -h, --help          show this help

exit status: 0 stopped cleanly, 1 the dev server or the worker failed, 2 usage or configuration error`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => dev(argv)),
};

/** The dev server's port: the flag, a local configured address's, the remembered one, else a free one (then remembered). */
async function devServerPort(config: CliConfig, flag: number | undefined, portFile: string): Promise<number> {
  if (flag) return flag;
  const address = config.temporal.address;
  if (address.source !== 'default') {
    const match = /^(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(address.value);
    if (match) return Number(match[1]);
    writeError(`note: temporal.address ${address.value} (${address.source}) is not local; runbook dev runs its own server`);
  }
  if (existsSync(portFile)) {
    const remembered = Number(readFileSync(portFile, 'utf8').trim());
    if (Number.isInteger(remembered) && remembered > 0 && remembered <= 65535) return remembered;
  }
  // Temporal's usual port when it is free (the Temporal CLI finds it without flags), else any; remembered either way.
  const port = (await portIsFree(TEMPORAL_PORT)) ? TEMPORAL_PORT : await findFreePort();
  mkdirSync(dirname(portFile), { recursive: true });
  writeFileSync(portFile, `${port}\n`);
  return port;
}

/** Temporal's usual frontend port (7233). */
const TEMPORAL_PORT = Number(DEFAULT_TEMPORAL_ADDRESS.split(':')[1]);

/** Whether nothing listens on 127.0.0.1:`port` (binding it succeeds). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A progress line on stderr (stdout keeps the lines other programs read). */
const progress = (message: string): void => void process.stderr.write(`runbook dev: ${message}\n`);

async function dev(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      ...CONSOLE_OPTIONS,
      'temporal-port': { type: 'string' },
      runbooks: { type: 'string' },
      handlers: { type: 'string' },
      agents: { type: 'string' },
      ...TASK_QUEUE_OPTION,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const temporalPort = portFlag(values['temporal-port']);
  const config = cliConfig({ runbooks: values.runbooks, handlers: values.handlers, agents: values.agents, consolePort: portFlag(values.port), consoleHost: values.host, taskQueue: values['task-queue'] });
  const runbooksDir = displayPath(config.runbooks.value);
  if (!existsSync(runbooksDir)) throw new UsageError(`runbooks directory ${runbooksDir} does not exist (${config.runbooks.source})`);
  if (config.handlers.value === false) throw new UsageError(`runbook dev runs a worker, which needs handlers (${config.handlers.source} says false)`);
  const namespace = config.temporal.namespace.value;
  const taskQueue = config.temporal.taskQueue.value;

  const signals = stopSignals();
  let server: DevServer | undefined;
  let settings: TemporalSettings | undefined;
  // Traced when configured (tracing:, OTEL_EXPORTER_OTLP_ENDPOINT): the console's starts, the worker's runs and activities.
  const tracing = tracingSettings(config.tracing);
  try {
    return await withTemporalErrors(
      () => settings,
      async () => {
        const binding = await consoleBinding(config);
        const { handlers, agents, project } = await loadConsoleProject(config);
        if (project.catalog.length === 0) throw new CommandFailed(`no valid runbook in ${runbooksDir}/`, EXIT_USAGE);
        const port = await devServerPort(config, temporalPort, join(config.state.root, 'temporal', 'dev-server.port'));
        progress(`starting the Temporal dev server on 127.0.0.1:${port} (state ${config.state.devServerDb})…`);
        try {
          server = await startDevServer({
            port,
            dbFilename: config.state.devServerDb,
            namespaces: namespace === 'default' ? [] : [namespace],
            searchAttributes: DEV_SERVER_SEARCH_ATTRIBUTES,
          });
        } catch (error) {
          if (signals.received()) return EXIT_FAILED;
          const why = error instanceof Error ? error.message : String(error);
          if (/address already in use|bind:/i.test(why)) {
            throw new CommandFailed(`DEV_PORT_IN_USE: port ${port} is in use (another \`runbook dev\` of this project still running?); stop it, or choose another with --temporal-port`);
          }
          throw new CommandFailed(`cannot start the Temporal dev server on port ${port}: ${why}`);
        }
        settings = { address: server.address, namespace, taskQueue, ...(tracing ? { tracing } : {}) };
        if (signals.received()) return EXIT_OK;
        progress(`Temporal dev server up on ${server.address}; starting the worker…`);
        installWorkerRuntime();
        const definitions: WorkerDefinitions = await loadDefinitions(runbooksDir, handlers!, settings, config.state.workerStateFile, agents);
        const temporal = await connectTemporal(settings);
        let native: NativeConnection | undefined;
        let worker: Worker | undefined;
        let running: Promise<void> | undefined;
        let app: Awaited<ReturnType<typeof listenConsole>>['app'] | undefined;
        let schedules: ScheduleKeeper | undefined;
        // One document store for the worker (commits) and the console (run pages, document versions).
        const documents = sharedProjectDocuments(config);
        try {
          await definitions.publish();
          worker = await startInterpreterWorker(settings, handlers!, definitions.store, temporal.connection, (connection) => (native = connection), documents.open, workerTuning(config.worker), agents);
          running = worker.run();
          // The runbooks' schedules fire on the dev server, kept in step on every reload (docs/temporal.md#schedules).
          const log = (level: string) => (message: string) => process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
          schedules = keepSchedulesSynced(temporal.client, definitions.store, taskQueue, { info: log('INFO'), warn: log('WARN') });
          const workerFailed = running.then(
            () => 'stopped' as const,
            (error: unknown) => {
              writeError(`the worker stopped: ${error instanceof Error ? error.message : String(error)}`);
              return 'failed' as const;
            },
          );
          progress('worker running; starting the console…');
          const backend = new TemporalBackend({ client: new TemporalRunClient(temporal.client, taskQueue), catalog: storeCatalog(definitions.store, runbooksDir), handlers, namespace });
          const editor = editorOptions(config, handlers, {
            servedHash: async (slug) => definitions.store.resolve(slug)?.hash ?? null,
            afterSave: () => definitions.store.rescan(),
          });
          ({ app } = await listenConsole(config, backend, binding, editor, documents.open).then((listening) => {
            process.stdout.write(
              [
                `Temporal dev server on ${server!.address} (namespace "${namespace}"), state ${server!.dbFilename}`,
                `worker on task queue ${taskQueue}: ${definitions.store.slugs().join(', ')}`,
                `export TEMPORAL_ADDRESS=${server!.address}`,
                `console: ${listening.url}`,
                '',
              ].join('\n'),
            );
            return listening;
          }));
          const why = await Promise.race([signals.stopped, workerFailed, server.exited.then(() => 'server' as const)]);
          // A terminal's Ctrl-C reaches the dev server too (same process group): its exit then is the stop we asked for.
          const signal = signals.received();
          if (signal) {
            process.stderr.write(`runbook: ${signal}: stopping the console, the worker and the Temporal dev server\n`);
            return EXIT_OK;
          }
          if (why === 'server') writeError(`the Temporal dev server exited\n${server.outputTail()}`);
          return EXIT_FAILED;
        } finally {
          await app?.close().catch(() => undefined);
          schedules?.stop();
          await schedules?.settled();
          try {
            if (worker?.getState() === 'RUNNING') worker.shutdown();
          } catch {
            // Already stopping.
          }
          await running?.catch(() => undefined);
          await definitions.close().catch(() => undefined);
          await documents.close().catch(() => undefined);
          await native?.close().catch(() => undefined);
          await temporal.connection.close().catch(() => undefined);
        }
      },
    );
  } finally {
    await server?.stop().catch(() => undefined);
    signals.dispose();
    if (server) process.stderr.write('runbook: stopped (runs are kept in the state directory)\n');
  }
}
