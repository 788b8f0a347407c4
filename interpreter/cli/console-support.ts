/**
 * What `runbook console` and `runbook dev` share: the `--port` / `--host` flags, the bind policy
 * (no sign-in, no address beyond loopback: exit 2 `CONSOLE_AUTH_REQUIRED`), the auth from the
 * `console:` config section, the project's runbooks and handlers, the console server listening, the
 * `console: http://HOST:PORT/` line, and waiting for SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { displayPath } from '../config/index.ts';
import { readStateFile } from '../definitions/state-file.ts';
import type { DefinitionSource } from '../runtime/definition-source.ts';
import type { EditorRoutesOptions } from '../server/editor/editor-routes.ts';
import { sampleInputBeside } from '../server/runbook-catalog.ts';
import { loadHandlerRegistry, type HandlerRegistry } from '../handlers/index.ts';
import { assertBindAllowed, AuthError, consoleBaseUrl, createConsoleAuth } from '../server/auth/index.ts';
import type { CatalogEntry, ConsoleBackend } from '../server/console-backend.ts';
import { createConsoleServer } from '../server/console-server.ts';
import type { DocumentReaderSource } from '../server/document-routes.ts';
import { loadProjectRunbooks, type ProjectRunbooks } from '../server/project-runbooks.ts';
import { EXIT_OK, EXIT_USAGE, UsageError, writeError } from './cli-support.ts';
import type { CliConfig } from './project-config.ts';
import { loadProjectAgents } from './project-agents.ts';
import type { AgentRegistry } from '../agents/agent-registry.ts';
import { CommandFailed } from './temporal-support.ts';
import { findFreePort } from '../temporal/dev-server.ts';

/** The `--port` and `--host` options, for parseCommandArgs. */
export const CONSOLE_OPTIONS = { port: { type: 'string' }, host: { type: 'string' } } as const;

/** `--port N` as a number (0: a free one); undefined when not given. */
export function portFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be a port number (0 for a free one), got "${value}"`);
  return port;
}

/** Where the console binds: host and port from flags, config, defaults; refused beyond loopback without sign-in. */
export async function consoleBinding(config: CliConfig): Promise<{ host: string; port: number }> {
  const host = config.console.host.value;
  try {
    assertBindAllowed(config.console.settings.auth?.mode ?? 'none', host);
  } catch (error) {
    if (error instanceof AuthError) throw new CommandFailed(`${error.code}: ${error.message}`, EXIT_USAGE);
    throw error;
  }
  // Port 0: a free one, picked now (the base URL of sign-in and CSRF checks names the port).
  const configured = config.console.port.value;
  return { host, port: configured === 0 ? await findFreePort() : configured };
}

/** The project's handlers (none when `handlers: false`), agents (none without agents/) and its valid runbooks; invalid files are reported and skipped. */
export async function loadConsoleProject(config: CliConfig): Promise<{ handlers: HandlerRegistry | undefined; agents: AgentRegistry | undefined; project: ProjectRunbooks }> {
  const { value, source } = config.handlers;
  // No handlers directory and none configured: runbooks without handler steps still run.
  const handlers = value === false || (source === 'default' && !existsSync(value)) ? undefined : await loadHandlerRegistry(value);
  // An agents entry that cannot be loaded is exit 2 naming the file (main.ts).
  const agents = await loadProjectAgents(config);
  const runbooksDir = displayPath(config.runbooks.value);
  const project = await loadProjectRunbooks(runbooksDir, handlers, agents);
  if (project.errors.length > 0) {
    const files = [...new Set(project.errors.map((diagnostic) => diagnostic.file))];
    writeError(`note: ${files.length} runbook file${files.length === 1 ? '' : 's'} with errors, not offered (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}); \`runbook validate\` lists them`);
  }
  return { handlers, agents, project };
}

/** The runbooks a hot-loading store serves now, as the console's catalog (with each one's sample input). */
export function storeCatalog(store: DefinitionSource, runbooksDir: string): () => CatalogEntry[] {
  // Asked for on every listing (a title per run): rebuilt, sample inputs read, only when what is served changes.
  let served = '';
  let catalog: CatalogEntry[] = [];
  return () => {
    const definitions = store.slugs().flatMap((slug) => {
      const resolved = store.resolve(slug);
      return resolved ? [{ slug, resolved }] : [];
    });
    const key = definitions.map(({ slug, resolved }) => `${slug}@${resolved.hash}`).join(',');
    if (key !== served) {
      catalog = definitions.map(({ slug, resolved }) => ({ runbook: resolved.runbook, sampleInput: sampleInputBeside(join(runbooksDir, `${slug}.yaml`), slug) }));
      served = key;
    }
    return catalog;
  };
}

/** The definition hash a separate `runbook worker` serves for a slug, from its state file (null without one, or when it stopped). */
export function workerServedHash(stateFile: string): (slug: string) => Promise<string | null> {
  return async (slug) => {
    const state = await readStateFile(stateFile).catch(() => undefined);
    if (!state || state.writer?.stopped_at) return null;
    return state.definitions.find((definition) => definition.slug === slug)?.hash ?? null;
  };
}

/** The editor's options for this project: its runbooks, handlers and state directory; `servedHash` says what runs new runs. */
export function editorOptions(config: CliConfig, handlers: HandlerRegistry | undefined, served: Pick<EditorRoutesOptions, 'servedHash' | 'afterSave'>): EditorRoutesOptions {
  return { runbooksDir: displayPath(config.runbooks.value), handlers: handlers ?? null, stateDir: config.state.root, ...served };
}

/** The console server for `backend`, listening on `host:port`, with the auth of the config's `console:` section and the project's committed documents. */
export async function listenConsole(config: CliConfig, backend: ConsoleBackend, binding: { host: string; port: number }, editor?: EditorRoutesOptions, documents?: DocumentReaderSource): Promise<{ app: FastifyInstance; url: string }> {
  const baseUrl = consoleBaseUrl(config.console.settings, binding.host, binding.port);
  let auth;
  try {
    auth = await createConsoleAuth(config.console.settings, { baseUrl });
  } catch (error) {
    if (error instanceof AuthError) throw new CommandFailed(`${error.code}: ${error.message}`, EXIT_USAGE);
    throw error;
  }
  let app: FastifyInstance;
  try {
    app = await createConsoleServer({ backend, auth, ...(editor ? { editor } : {}), ...(documents ? { documents } : {}) });
  } catch (error) {
    await backend.close().catch(() => undefined);
    throw error;
  }
  try {
    await app.listen({ host: binding.host, port: binding.port });
  } catch (error) {
    // Closing the server closes the backend (its Temporal connection, its in-process runs).
    await app.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CommandFailed(`CONSOLE_PORT_IN_USE: port ${binding.port} on ${binding.host} is in use; choose another with --port (or console.port)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CommandFailed(`CONSOLE_HOST_INVALID: cannot listen on ${binding.host} (${code})`, EXIT_USAGE);
    throw error;
  }
  const hostPart = binding.host.includes(':') ? `[${binding.host}]` : binding.host;
  return { app, url: `http://${hostPart}:${binding.port}/` };
}

/**
 * `runbook console`'s life: listens, prints the runtime line and `console: URL` (stdout), waits for
 * SIGINT/SIGTERM, closes the server and with it the backend; exit 0.
 */
export async function serveConsole(config: CliConfig, backend: ConsoleBackend, binding: { host: string; port: number }, runtimeLine: string, editor?: EditorRoutesOptions, documents?: DocumentReaderSource): Promise<number> {
  const signals = stopSignals();
  try {
    const { app, url } = await listenConsole(config, backend, binding, editor, documents);
    process.stdout.write(`${runtimeLine}\nconsole: ${url}\n`);
    const signal = await signals.stopped;
    process.stderr.write(`runbook: ${signal}: stopping the console\n`);
    await app.close();
    process.stderr.write('runbook: console stopped\n');
    return EXIT_OK;
  } finally {
    signals.dispose();
  }
}

/** Catches SIGINT/SIGTERM from now on; `stopped` resolves with the first one. `dispose()` removes the handlers. */
export function stopSignals(): { stopped: Promise<NodeJS.Signals>; received(): NodeJS.Signals | undefined; dispose(): void } {
  let received: NodeJS.Signals | undefined;
  let wake: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => (wake = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) return;
    received = signal;
    wake(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopped,
    received: () => received,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
