/**
 * `runbook console [--port P] [--host H] [--runtime local|temporal] [--runbooks DIR] [--handlers DIR] [--agents DIR] [--task-queue Q]`
 * Serves the console (inbox, run pages, acting) for the configured runtime: on Temporal when it is
 * configured (TEMPORAL_ADDRESS or temporal.address), else in-process with runs hosted by this
 * process (they end with it). Prints `console: http://HOST:PORT/` once it listens; stops on Ctrl-C.
 * Exit 0 after a clean stop, 1 when Temporal cannot be reached or the port is taken, 2 usage,
 * configuration, or binding beyond loopback without sign-in (CONSOLE_AUTH_REQUIRED).
 */
import { existsSync } from 'node:fs';
import { displayPath } from '../../config/index.ts';
import { DefinitionStore } from '../../definitions/definition-store.ts';
import type { AgentRegistry } from '../../agents/agent-registry.ts';
import { HandlerRegistry } from '../../handlers/index.ts';
import { StaticDefinitions, type DefinitionSource } from '../../runtime/definition-source.ts';
import { LocalRuntime } from '../../runtime/local/index.ts';
import type { CatalogEntry, ConsoleBackend } from '../../server/console-backend.ts';
import { LocalBackend } from '../../server/local-backend.ts';
import { EXIT_OK, parseCommandArgs, UsageError, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { consoleBinding, CONSOLE_OPTIONS, editorOptions, loadConsoleProject, portFlag, serveConsole, storeCatalog, workerServedHash } from '../console-support.ts';
import { cliConfig, type CliConfig } from '../project-config.ts';
import { sharedProjectDocuments, type SharedDocuments } from '../project-documents.ts';
import { connectTemporal, TASK_QUEUE_OPTION, TEMPORAL_QUEUE_ENV_HELP, temporalSettings, withTemporalErrors, type TemporalSettings, CONNECTION_OPTIONS } from '../temporal-support.ts';

const USAGE = `usage: runbook console [--port P] [--host H] [--runtime local|temporal] [options]

Serves the web console: the inbox of runs waiting on a person, run pages with live updates,
acting on reviews and uploads, starting runs. On Temporal when it is configured
(TEMPORAL_ADDRESS or temporal.address in runbook.config.yaml): runs listed through
visibility, read with queries, acted on with Updates (start workers with \`runbook worker\`).
Otherwise in-process: the runs live in this process and end when it stops (\`runbook dev\`
keeps them). Prints \`console: http://HOST:PORT/\` once it listens; Ctrl-C stops it.

options:
  --port P                  port (default: console.port, else 4600; 0 for any free one)
  --host H                  address to bind (default: console.host, else 127.0.0.1); beyond
                            loopback it needs console.auth.mode proxy or oidc
  --runtime local|temporal  force the runtime (default: temporal when configured)
  --runbooks DIR            runbooks to offer and, in-process, to run (default: configured, runbooks/)
  --handlers DIR            handler entry (default: configured, handlers/)
  --agents DIR              agent entry (default: configured, else agents/ when it exists)
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
      agents: { type: 'string' },
      ...TASK_QUEUE_OPTION,
      ...CONNECTION_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const config = cliConfig({ runbooks: values.runbooks, handlers: values.handlers, agents: values.agents, consolePort: portFlag(values.port), consoleHost: values.host, address: values.address });
  const settings = usesTemporal(config, values.runtime) ? temporalSettings(values['task-queue'], values) : undefined;
  return withTemporalErrors(
    () => settings,
    async () => {
      // Refused before anything is loaded or connected: no sign-in, no address beyond loopback.
      const binding = await consoleBinding(config);
      const { handlers, agents } = await loadConsoleProject(config);
      const runbooksDir = displayPath(config.runbooks.value);
      // What the console offers (and, in-process, runs): the directory as a hot-loading worker serves it,
      // so a runbook saved in the editor is offered at once; runs in flight keep their definition.
      const store = await openStore(runbooksDir, handlers, agents);
      const catalog = storeCatalog(store, runbooksDir);
      // The committed documents the run pages show: the store the workers commit into (in-process, this console's runs).
      const documents = sharedProjectDocuments(config);
      let backend: ConsoleBackend;
      try {
        backend = settings ? await temporalBackend(settings, catalog, handlers) : localBackend(store, catalog, handlers, agents, documents);
      } catch (error) {
        await store.close();
        throw error;
      }
      const closeBackend = backend.close.bind(backend);
      backend.close = async () => {
        await closeBackend();
        await store.close();
        await documents.close().catch(() => undefined);
      };
      const editor = editorOptions(config, handlers, {
        // On Temporal the worker serves the definitions (its state file says which); in-process, this console does.
        servedHash: settings ? workerServedHash(config.state.workerStateFile) : async (slug) => store.resolve(slug)?.hash ?? null,
        afterSave: () => store.rescan(),
      });
      const runtimeLine = settings
        ? `runtime: Temporal at ${settings.address}, namespace ${settings.namespace}, task queue ${settings.taskQueue} (runs outlive this console; \`runbook worker\` runs them)`
        : 'runtime: in-process: runs end when this console stops (`runbook dev` keeps them)';
      return serveConsole(config, backend, binding, runtimeLine, editor, documents.open);
    },
  );
}

/** The console's definitions: rescanned after an editor save, closed with the console. */
type ConsoleDefinitions = DefinitionSource & { rescan(): Promise<void>; close(): Promise<void> };

/** The runbooks directory, watched: every valid file served, a changed one re-validated and swapped in (none when it does not exist). */
async function openStore(runbooksDir: string, handlers: HandlerRegistry | undefined, agents: AgentRegistry | undefined): Promise<ConsoleDefinitions> {
  if (!existsSync(runbooksDir)) return Object.assign(new StaticDefinitions([]), { rescan: async () => undefined, close: async () => undefined });
  return DefinitionStore.open({ dir: runbooksDir, handlers: handlers ?? null, ...(agents ? { agents } : {}) });
}

/** Runs hosted by this process, with the store's runbooks, the project's handlers (none: an empty registry), agents and document store. */
function localBackend(store: DefinitionSource, catalog: () => CatalogEntry[], handlers: HandlerRegistry | undefined, agents: AgentRegistry | undefined, documents: SharedDocuments): ConsoleBackend {
  const runtime = new LocalRuntime({ definitions: store, handlers: handlers ?? new HandlerRegistry([]), ...(agents ? { agents } : {}), documents: documents.open });
  return new LocalBackend({ runtime, catalog, ...(handlers ? { handlers } : {}) });
}

/** The Temporal backend on a new connection (closed with the console). */
async function temporalBackend(settings: TemporalSettings, catalog: () => CatalogEntry[], handlers: HandlerRegistry | undefined): Promise<ConsoleBackend> {
  const [{ TemporalBackend }, { TemporalRunClient }] = await Promise.all([import('../../server/temporal-backend.ts'), import('../../temporal/index.ts')]);
  const { client, connection } = await connectTemporal(settings);
  return new TemporalBackend({
    client: new TemporalRunClient(client, settings.taskQueue),
    catalog,
    ...(handlers ? { handlers } : {}),
    namespace: settings.namespace,
    onClose: () => connection.close(),
  });
}
