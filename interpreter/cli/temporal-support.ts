/**
 * What the Temporal commands (`worker`, `start`, `status`, `act`, `signal`, `cancel`) share:
 * the connection settings from the environment, connecting with a short timeout, JSON flags,
 * and mapping errors to one clear line and an exit code (never a stack trace).
 *
 *   TEMPORAL_ADDRESS     frontend host:port   (default: runbook.config.yaml temporal.address, else 127.0.0.1:7233)
 *   TEMPORAL_NAMESPACE   namespace            (default: temporal.namespace, else "default")
 *   TEMPORAL_TASK_QUEUE  task queue           (default: temporal.task_queue, else "runbooks"; --task-queue wins)
 *   TEMPORAL_TLS, TEMPORAL_TLS_*, TEMPORAL_API_KEY: TLS, mTLS and the API key (./temporal-credentials.ts)
 *   OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, tracing:  OpenTelemetry tracing of starts, runs and activities (./process-tracing.ts)
 */
import { readFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { text } from 'node:stream/consumers';
import { Client, Connection, NamespaceNotFoundError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, isGrpcServiceError, type WorkflowHandle } from '@temporalio/client';
import { ActionRejectedError, RunCancelledError, RunFailedError, RunNotFoundError, StartRejectedError, startRejectedExit } from '../runtime/runtime-errors.ts';
import { DEFAULT_TASK_QUEUE } from '../temporal/workflow-contract.ts';
import { EXIT_FAILED, EXIT_USAGE, parseJson, parseJsonOrFile, UsageError, writeError } from './cli-support.ts';
import { cliConfig } from './project-config.ts';
import { processTracing, type TracingSettings } from './process-tracing.ts';
import { CredentialsConfigError, credentialOptions, resolveCredentials, type TemporalCredentials } from './temporal-credentials.ts';
import { diagnoseConnection, TemporalConnectionError } from './tls-diagnosis.ts';

export { DEFAULT_TEMPORAL_ADDRESS, DEFAULT_NAMESPACE } from '../config/index.ts';
import { DEFAULT_TEMPORAL_ADDRESS, DEFAULT_NAMESPACE, EnvironmentConfigError, type ProjectConfig } from '../config/index.ts';
export type { TracingSettings } from './process-tracing.ts';
/** How long connecting may take before the command gives up. */
export const CONNECT_TIMEOUT_MS = 5_000;

export interface TemporalSettings {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  /** TLS and API key; absent: plaintext, no key (a local dev server). */
  readonly credentials?: TemporalCredentials;
  /** The variable the API key came from, for messages. */
  readonly apiKeyEnv?: string;
  /** OpenTelemetry tracing; absent: off. Clients get its interceptors (connectTemporal), workers its worker side. */
  readonly tracing?: TracingSettings;
}

const TRACING_PROTOCOLS = ['http/protobuf', 'http/json'];

/**
 * The resolved `tracing` settings, checked: undefined when tracing is off. A value from the environment
 * that cannot work is CONFIG_INVALID naming the variable (exit 2); the file's were checked when it was read.
 */
export function tracingSettings(tracing: ProjectConfig['tracing']): TracingSettings | undefined {
  const { endpoint, protocol, serviceName } = tracing;
  if (endpoint.value === null) return undefined;
  const variable = (source: string): string => source.replace(/^env /, '');
  let url: URL | undefined;
  try {
    url = new URL(endpoint.value);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new EnvironmentConfigError(variable(endpoint.source), `expected an http:// or https:// URL of an OTLP/HTTP collector (such as http://127.0.0.1:4318), got "${endpoint.value}"`);
  }
  if (!TRACING_PROTOCOLS.includes(protocol.value)) {
    const grpc = protocol.value === 'grpc' ? '; gRPC is not supported: send OTLP/HTTP to the collector\'s port 4318' : '';
    throw new EnvironmentConfigError(variable(protocol.source), `expected http/protobuf or http/json, got "${protocol.value}"${grpc}`);
  }
  return { url: endpoint.value, protocol: protocol.value as TracingSettings['protocol'], serviceName: serviceName.value };
}

/** The values of CONNECTION_OPTIONS, as parseCommandArgs returns them. */
export interface ConnectionFlags {
  readonly address?: string;
  readonly namespace?: string;
  readonly tls?: boolean;
  readonly 'tls-ca-path'?: string;
  readonly 'tls-cert-path'?: string;
  readonly 'tls-key-path'?: string;
  readonly 'tls-server-name'?: string;
}

/**
 * The connection settings: runbook.config.yaml's `temporal`, then the environment, then the
 * flags. Reads and checks the TLS files (CredentialsConfigError, exit 2, for a bad one).
 */
export function temporalSettings(taskQueueFlag?: string, flags: ConnectionFlags = {}): TemporalSettings {
  const { temporal, tracing } = cliConfig({
    taskQueue: taskQueueFlag || undefined,
    address: flags.address,
    namespace: flags.namespace,
    tls: flags.tls,
    tlsCaPath: flags['tls-ca-path'],
    tlsCertPath: flags['tls-cert-path'],
    tlsKeyPath: flags['tls-key-path'],
    tlsServerName: flags['tls-server-name'],
  });
  const traced = tracingSettings(tracing);
  return {
    address: temporal.address.value,
    namespace: temporal.namespace.value,
    taskQueue: temporal.taskQueue.value,
    credentials: resolveCredentials(temporal),
    apiKeyEnv: temporal.apiKey.env.value,
    ...(traced ? { tracing: traced } : {}),
  };
}

/** The `--task-queue` option, for parseCommandArgs. */
export const TASK_QUEUE_OPTION = { 'task-queue': { type: 'string' } } as const;

/** Where and how to connect, the Temporal CLI's flag names, for parseCommandArgs (values go to temporalSettings). */
export const CONNECTION_OPTIONS = {
  address: { type: 'string' },
  namespace: { type: 'string' },
  tls: { type: 'boolean' },
  'tls-ca-path': { type: 'string' },
  'tls-cert-path': { type: 'string' },
  'tls-key-path': { type: 'string' },
  'tls-server-name': { type: 'string' },
} as const;

/** The help of CONNECTION_OPTIONS. */
export const CONNECTION_OPTIONS_HELP = `connection (flags win over the environment, then runbook.config.yaml; docs/temporal.md):
  --address HOST:PORT      Temporal frontend ($TEMPORAL_ADDRESS)
  --namespace NS           namespace ($TEMPORAL_NAMESPACE)
  --tls                    connect with TLS ($TEMPORAL_TLS; on when any TLS setting or an API key is given)
  --tls-ca-path FILE       CA of the server's certificate ($TEMPORAL_TLS_SERVER_CA_CERT_PATH; default: system CAs)
  --tls-cert-path FILE     client certificate, mTLS ($TEMPORAL_TLS_CLIENT_CERT_PATH)
  --tls-key-path FILE      client certificate's key ($TEMPORAL_TLS_CLIENT_KEY_PATH)
  --tls-server-name NAME   name on the server's certificate ($TEMPORAL_TLS_SERVER_NAME)
  PEM text instead of files: $TEMPORAL_TLS_SERVER_CA_CERT_DATA, $TEMPORAL_TLS_CLIENT_CERT_DATA,
    $TEMPORAL_TLS_CLIENT_KEY_DATA (a file and the text of the same one together are refused)
  API key (Temporal Cloud): $TEMPORAL_API_KEY, or the variable temporal.api_key_env names`;

/** The connection flags and environment of commands that address a run by id (the task queue does not matter to them). */
export const TEMPORAL_ENV_HELP = `${CONNECTION_OPTIONS_HELP}

environment:
  TEMPORAL_ADDRESS      Temporal frontend host:port (default ${DEFAULT_TEMPORAL_ADDRESS})
  TEMPORAL_NAMESPACE    namespace (default ${DEFAULT_NAMESPACE})`;

/** The environment of `worker` and `start`, which also pick a task queue. */
export const TEMPORAL_QUEUE_ENV_HELP = `${TEMPORAL_ENV_HELP}
  TEMPORAL_TASK_QUEUE   task queue when --task-queue is not given (default ${DEFAULT_TASK_QUEUE})`;

/** The Temporal server could not be reached (exit 1). */
export class TemporalUnreachableError extends Error {
  readonly code = 'TEMPORAL_UNREACHABLE';
  constructor(address: string, why: string) {
    super(`cannot reach the Temporal server at ${address} (${why}); start one with \`runbook dev-server\` or set TEMPORAL_ADDRESS`);
  }
}

/** A failure that has already been explained: message and exit code. */
export class CommandFailed extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
  ) {
    super(message);
  }
}

function splitAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address.replace(/^[a-z]+:\/\//i, ''));
  if (!match) throw new UsageError(`TEMPORAL_ADDRESS must be host:port, got "${address}"`);
  return { host: match[1] ?? match[2]!, port: Number(match[3]) };
}

/**
 * A plain TCP connect first: a closed port fails in milliseconds with "connection refused"
 * instead of the gRPC client retrying until its deadline.
 */
function probe(address: string, timeoutMs: number): Promise<void> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TemporalUnreachableError(address, `no answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const why = error.code === 'ECONNREFUSED' ? 'connection refused' : error.code === 'ENOTFOUND' ? `unknown host "${host}"` : error.message;
      reject(new TemporalUnreachableError(address, why));
    });
  });
}

/** The `tls` and `apiKey` options of both connection kinds (plaintext without credentials). */
export function connectionOptions(settings: TemporalSettings): { address: string } & ReturnType<typeof credentialOptions> {
  return { address: settings.address, ...credentialOptions(settings.credentials ?? { tls: null, apiKey: null }) };
}

/**
 * Why connecting failed, as one error with a code and what to fix: refused credentials (API
 * key), a diagnosed TLS problem, else TemporalUnreachableError with what the SDK said.
 */
export async function connectionFailure(settings: TemporalSettings, error: unknown): Promise<Error> {
  const grpc = isGrpcServiceError(error) ? error : error instanceof Error && isGrpcServiceError(error.cause) ? error.cause : undefined;
  const message = grpc?.details || (error instanceof Error ? error.message : String(error));
  const apiKey = settings.credentials?.apiKey;
  // The worker's connection (Rust core) says it in words, the client's gRPC with a status code.
  if (grpc?.code === 16 || /valid authentication credentials|unauthenticated/i.test(message)) {
    const fix = apiKey ? `check the API key in ${settings.apiKeyEnv ?? 'TEMPORAL_API_KEY'} (expired, or for another namespace?)` : 'it needs an API key (set TEMPORAL_API_KEY) or a client certificate (TEMPORAL_TLS_CLIENT_CERT_PATH)';
    return new TemporalConnectionError('TEMPORAL_UNAUTHENTICATED', settings.address, `the server refused the credentials (${message.replace(/^.*message: "([^"]*)".*$/s, '$1')}); ${fix}`);
  }
  if (grpc?.code === 7 || /permission denied|does not have permission/i.test(message)) {
    return new TemporalConnectionError('TEMPORAL_PERMISSION_DENIED', settings.address, `the credentials may not use namespace "${settings.namespace}" (${message}); grant them access, or check TEMPORAL_NAMESPACE`);
  }
  const diagnosed = await diagnoseConnection(settings.address, settings.credentials?.tls ?? null).catch(() => undefined);
  return diagnosed ?? new TemporalUnreachableError(settings.address, message);
}

/** A client Connection, or a TemporalUnreachableError / TemporalConnectionError within about CONNECT_TIMEOUT_MS. */
export async function connectClient(settings: TemporalSettings): Promise<Connection> {
  await probe(settings.address, CONNECT_TIMEOUT_MS);
  try {
    return await Connection.connect({ ...connectionOptions(settings), connectTimeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw await connectionFailure(settings, error);
  }
}

/** A Client in the configured namespace (traced when tracing is on); close its connection when done. */
export async function connectTemporal(settings: TemporalSettings): Promise<{ client: Client; connection: Connection }> {
  const connection = await connectClient(settings);
  return { connection, client: await temporalClient(connection, settings) };
}

/** A Client on `connection`; with tracing on, its starts, signals, updates and queries are spans whose context the workflow continues. */
export async function temporalClient(connection: Connection, settings: TemporalSettings): Promise<Client> {
  const tracing = settings.tracing ? await processTracing(settings.tracing) : undefined;
  return new Client({ connection, namespace: settings.namespace, ...(tracing ? { interceptors: { workflow: tracing.clientInterceptors() } } : {}) });
}

/**
 * Describes a run (it must exist): RUN_NOT_FOUND for an unknown id. Returns its status
 * name (RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, ...) and task queue.
 */
export async function describeRun(handle: WorkflowHandle): Promise<{ status: string; taskQueue: string }> {
  try {
    const description = await handle.describe();
    return { status: description.status.name, taskQueue: description.taskQueue };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new RunNotFoundError(handle.workflowId);
    throw error;
  }
}

/** Describes a run that must still be running (RUN_NOT_FOUND, or "has ended" naming its status). */
export async function requireRunning(handle: WorkflowHandle, what: string): Promise<void> {
  const { status } = await describeRun(handle);
  if (status !== 'RUNNING') throw new CommandFailed(`run ${handle.workflowId} has ended (${status.toLowerCase()}); it takes no ${what}`);
}

/** Reads `--input FILE|-` (default `{}`); bad JSON is a usage error. */
export async function readJsonInput(source: string | undefined): Promise<unknown> {
  if (source === undefined) return {};
  if (source === '-' && process.stdin.isTTY) throw new UsageError('--input -: stdin is a terminal; pipe the JSON in or name a file');
  let raw: string;
  try {
    raw = source === '-' ? await text(process.stdin) : await readFile(source, 'utf8');
  } catch (error) {
    throw new UsageError(`--input ${source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseJson(raw, `--input ${source}`);
}

/** A JSON flag value: inline JSON, or `@FILE` for a file's JSON. Undefined stays undefined. */
export function jsonFlag(flag: string, value: string | undefined): unknown {
  if (value === undefined) return undefined;
  return parseJsonOrFile(value, value.startsWith('@') ? `--${flag} ${value}` : `--${flag}`);
}

/** Exactly `count` positionals, named for the message. */
export function expectPositionals(positionals: string[], names: string[]): string[] {
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).join(' ')}`);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument "${positionals[names.length]}"`);
  return positionals;
}

/**
 * Runs a command body against Temporal, turning the errors a user can cause into one line on
 * stderr and an exit code: 2 for a rejected start (unknown runbook, invalid input), 1 for the
 * rest (unreachable server, unknown run, rejected action, failed run).
 */
export async function withTemporalErrors(settings: () => TemporalSettings | undefined, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const address = settings()?.address ?? process.env.TEMPORAL_ADDRESS ?? DEFAULT_TEMPORAL_ADDRESS;
    if (error instanceof CommandFailed || error instanceof CredentialsConfigError) {
      writeError(error.message);
      return error.exitCode;
    }
    if (error instanceof TemporalConnectionError) {
      writeError(error.message);
      return EXIT_FAILED;
    }
    if (error instanceof StartRejectedError) {
      writeError(`cannot start: ${error.message}`);
      return startRejectedExit(error);
    }
    if (error instanceof ActionRejectedError) {
      writeError(`action rejected: ${error.message}`);
      return EXIT_FAILED;
    }
    if (error instanceof RunNotFoundError || error instanceof TemporalUnreachableError || error instanceof RunFailedError || error instanceof RunCancelledError) {
      writeError(error.message);
      return EXIT_FAILED;
    }
    if (error instanceof WorkflowNotFoundError) {
      writeError(new RunNotFoundError(error.workflowId ?? '?').message);
      return EXIT_FAILED;
    }
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      writeError(`RUN_EXISTS: a run with id "${error.workflowId}" is running or has completed; a completed run's id is not reused (its idempotency keys would repeat): choose another --id`);
      return EXIT_FAILED;
    }
    if (error instanceof NamespaceNotFoundError) {
      writeError(`namespace "${error.namespace}" does not exist on the Temporal server at ${address} (TEMPORAL_NAMESPACE)`);
      return EXIT_FAILED;
    }
    // The SDK wraps gRPC failures (ServiceError with the gRPC error as its cause).
    const grpc = isGrpcServiceError(error) ? error : error instanceof Error && isGrpcServiceError(error.cause) ? error.cause : undefined;
    if (grpc) {
      // 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED: the server went away or did not answer in time.
      if (grpc.code === 14) writeError(new TemporalUnreachableError(address, grpc.details || 'unavailable').message);
      else if (grpc.code === 4) writeError(`the Temporal server at ${address} did not answer in time`);
      else if (grpc.code === 16 || grpc.code === 7) writeError((await connectionFailure(settings() ?? { address, namespace: DEFAULT_NAMESPACE, taskQueue: '' }, grpc)).message);
      else writeError(`Temporal server error: ${grpc.details || grpc.message}`);
      return EXIT_FAILED;
    }
    throw error;
  }
}

/** Connects, runs `body` with a client, closes the connection, and maps errors as `withTemporalErrors` does. */
export function withTemporalClient(
  settings: TemporalSettings,
  body: (temporal: { client: Client; connection: Connection }) => Promise<number>,
): Promise<number> {
  return withTemporalErrors(
    () => settings,
    async () => {
      const temporal = await connectTemporal(settings);
      try {
        return await body(temporal);
      } finally {
        await temporal.connection.close().catch(() => undefined);
      }
    },
  );
}
