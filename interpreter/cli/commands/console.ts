/**
 * `runbook console [--port P] [--host H] [--runtime local|temporal] [--runbooks DIR] [--handlers DIR] [--task-queue Q]`
 * Serves the console (inbox, run pages, acting) for the configured runtime: on Temporal when it is
 * configured (TEMPORAL_ADDRESS or temporal.address), else in-process with runs hosted by this
 * process (they end with it). Prints `console: http://HOST:PORT/` once it listens; stops on Ctrl-C.
 * Exit 0 after a clean stop, 1 when Temporal cannot be reached or the port is taken, 2 usage,
 * configuration, or binding beyond loopback without sign-in (CONSOLE_AUTH_REQUIRED).
 */
import { HandlerRegistry } from '../../handlers/index.ts';
import { LocalRuntime } from '../../runtime/local/index.ts';
import { LocalBackend } from '../../server/local-backend.ts';
import type { CatalogEntry, ConsoleBackend } from '../../server/console-backend.ts';
import { EXIT_OK, parseCommandArgs, UsageError, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig, type CliConfig } from '../project-config.ts';
import { consoleBinding, CONSOLE_OPTIONS, listenConsole, loadConsoleProject, portFlag, stopSignals } from '../console-support.ts';
import { connectTemporal, TASK_QUEUE_OPTION, TEMPORAL_QUEUE_ENV_HELP, temporalSettings, withTemporalErrors, type TemporalSettings } from '../temporal-support.ts';

const USAGE = `usage: runbook console [--port P] [--host H] [--runtime local|temporal] [options]

Serves the web console: the inbox of runs waiting on a person, run pages with live updates,
acting on reviews and uploads, starting runs. On Temporal when it is configured
(TEMPORAL_ADDRESS or temporal.address in runbook.config.yaml): runs listed through
visibility, read with queries, acted on with Updates (start workers with \`runbook worker\`).
Otherwise in-process: the runs live in this process and end when it stops (\`runbook dev\`
keeps them). Prints \`console: http://HOST:PORT/\` once it listens; Ctrl-C stops it.

options:
  --port P                  port (default: console.port, else 4600; 0 for a free one)
  --host H                  address to bind (default: console.host, else 127.0.0.1); beyond
                            loopback it needs console.auth.mode proxy or oidc
  --runtime local|temporal  force the runtime (default: temporal when configured)
  --runbooks DIR            runbooks to offer and, in-process, to run (default: configured, runbooks/)
  --handlers DIR            handler entry (default: configured, handlers/)
  --task-queue Q            temporal: the task queue runs start on (default: configured, runbooks)
  -h, --help                show this help

${TEMPORAL_QUEUE_ENV_HELP}

exit status: 0 stopped cleanly, 1 Temporal unreachable or port in use, 2 usage or configuration error
(CONSOLE_AUTH_REQUIRED: no sign-in configured and a host beyond loopback)`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => consoleCommand(argv)),
};

/** Temporal when forced, or when an address is configured (environment or config file). */
function usesTemporal(config: CliConfig, forced: string | undefined): boolean {
  if (forced === 'local') return false;
  if (forced === 'temporal') return true;
  if (forced !== undefined) throw new UsageError(`--runtime ${forced}: expected local or temporal`);
  return config.temporal.address.source !== 'default';
}

async function consoleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      ...CONSOLE_OPTIONS,
      runtime: { type: 'string' },
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
  const config = cliConfig({ runbooks: values.runbooks, handlers: values.handlers, consolePort: portFlag(values.port), consoleHost: values.host });
  const temporal = usesTemporal(config, values.runtime);
  const settings = temporal ? temporalSettings(values['task-queue']) : undefined;
  const binding = await withBindErrors(() => consoleBinding(config));
  if (typeof binding === 'number') return binding;
  return withTemporalErrors(
    () => settings,
    async () => {
      const signals = stopSignals();
      try {
        const { handlers, project } = await loadConsoleProject(config);
        let backend: ConsoleBackend;
        if (settings) {
          backend = await temporalBackend(settings, project.catalog, handlers);
        } else {
          const runtime = new LocalRuntime({ definitions: project.definitions, handlers: handlers ?? new HandlerRegistry([]) });
          backend = new LocalBackend({ runtime, catalog: project.catalog, handlers });
        }
        const { app, url } = await listenConsole(config, backend, binding);
        process.stderr.write(settings ? `runbook console: Temporal ${settings.address} namespace ${settings.namespace} task queue ${settings.taskQueue}\n` : 'runbook console: in-process; runs end when the console stops (use `runbook dev` for durable runs)\n');
        process.stdout.write(`console: ${url}\n`);
        const signal = await signals.stopped;
        process.stderr.write(`runbook: ${signal}: stopping the console\n`);
        await app.close();
        process.stderr.write('runbook: console stopped\n');
        return EXIT_OK;
      } finally {
        signals.dispose();
      }
    },
  );
}

/** consoleBinding with its refusal printed (exit code) instead of thrown. */
async function withBindErrors(body: () => Promise<{ host: string; port: number }>): Promise<{ host: string; port: number } | number> {
  let result: { host: string; port: number } | number = 0;
  const code = await withTemporalErrors(() => undefined, async () => {
    result = await body();
    return EXIT_OK;
  });
  return code === EXIT_OK ? result : code;
}

/** The Temporal backend over a new connection (closed with the console). The server modules for it load only here. */
async function temporalBackend(settings: TemporalSettings, catalog: readonly CatalogEntry[], handlers: HandlerRegistry | undefined): Promise<ConsoleBackend> {
  const [{ TemporalBackend }, { TemporalRunClient }] = await Promise.all([import('../../server/temporal-backend.ts'), import('../../temporal/temporal-run-client.ts')]);
  const { client, connection } = await connectTemporal(settings);
  return new TemporalBackend({
    client: new TemporalRunClient(client, settings.taskQueue),
    catalog,
    handlers,
    namespace: settings.namespace,
    onClose: () => connection.close(),
  });
}
