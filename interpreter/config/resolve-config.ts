/**
 * The project's resolved configuration: defaults, then `runbook.config.yaml`, then the
 * environment, then flags; each value remembers where it came from (`runbook config` prints
 * that). Paths in the config file are relative to the file; paths from flags and the
 * environment to the working directory. Node side.
 */
import type { Environment } from './state-dir.ts';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Node } from 'yaml';
import type * as YamlModule from 'yaml';
import type * as ConfigFormat from './config-format.ts';
import type { ConfigFile, ConsoleConfig } from './config-format.ts';
import { closestMatch } from '../loader/did-you-mean.ts';
import { findConfigFile } from './find-config.ts';

export const DEFAULT_RUNBOOKS_DIR = 'runbooks';
export const DEFAULT_HANDLERS_DIR = 'handlers';
export const DEFAULT_AGENTS_DIR = 'agents';
export const DEFAULT_STATE_DIR = '.runbook';
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_TASK_QUEUE = 'runbooks';
export const DEFAULT_CONSOLE_PORT = 4600;
export const DEFAULT_CONSOLE_HOST = '127.0.0.1';
export const DEFAULT_API_KEY_ENV = 'TEMPORAL_API_KEY';
export const DEFAULT_MAX_CONCURRENT_ACTIVITIES = 100;
export const DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS = 40;
export const DEFAULT_SHUTDOWN_GRACE_TIME = '10s';
export const DEFAULT_LISTEN_HOST = '127.0.0.1';
export const DEFAULT_TRACING_PROTOCOL = 'http/protobuf';
export const DEFAULT_TRACING_SERVICE_NAME = 'runbook';

/** A resolved value and where it came from: `default`, `runbook.config.yaml:4`, `env TEMPORAL_ADDRESS`, `flag --runbooks`. */
export interface Setting<T> {
  readonly value: T;
  readonly source: string;
}

export interface ProjectConfig {
  /** The config file used, absolute; undefined when there is none. */
  readonly file?: string;
  /** The project root: the config file's directory, else the working directory. */
  readonly root: string;
  /** Absolute path of the runbooks directory. */
  readonly runbooks: Setting<string>;
  /** Absolute path of the handlers entry (directory or file); `false` when handler checks are off. */
  readonly handlers: Setting<string | false>;
  /** Absolute path of the agents entry (directory or file); `false` when the project has none. The default is used only when it exists. */
  readonly agents: Setting<string | false>;
  /** Absolute path of the state directory. */
  readonly stateDir: Setting<string>;
  readonly temporal: {
    readonly address: Setting<string>;
    readonly namespace: Setting<string>;
    readonly taskQueue: Setting<string>;
    /** TLS to the frontend (the Temporal CLI's names); null values are unset. */
    readonly tls: {
      /** true/false when said; null: on when any TLS setting or an API key is given. */
      readonly enabled: Setting<boolean | null>;
      /** Absolute paths. */
      readonly serverCaCertPath: Setting<string | null>;
      readonly serverName: Setting<string | null>;
      readonly clientCertPath: Setting<string | null>;
      readonly clientKeyPath: Setting<string | null>;
      /**
       * The same as PEM text in the variable (the Temporal CLI's TEMPORAL_TLS_*_DATA; environment only: the key is a
       * secret, and PEM in YAML is a file better named by its path). A PATH and a DATA of one file are refused together.
       */
      readonly serverCaCertData: Setting<string | null>;
      readonly clientCertData: Setting<string | null>;
      readonly clientKeyData: Setting<string | null>;
      /** The Temporal CLI's TEMPORAL_TLS_DISABLE_HOST_VERIFICATION (the TypeScript SDK cannot honour it). */
      readonly disableHostVerification: Setting<boolean>;
    };
    /** The API key: the variable it is read from, and its value (a secret: never print it). */
    readonly apiKey: { readonly env: Setting<string>; readonly value: string | null };
  };
  /** `runbook worker` (and `runbook dev`'s worker): tuning, metrics and health endpoints. */
  readonly worker: {
    readonly maxConcurrentActivities: Setting<number>;
    readonly maxConcurrentWorkflowTasks: Setting<number>;
    /** null: the SDK's default (by heap size). */
    readonly maxCachedWorkflows: Setting<number | null>;
    /** A duration: 500ms, 30s, 5m. */
    readonly shutdownGraceTime: Setting<string>;
    /** Prometheus endpoint; port null: off. */
    readonly metrics: { readonly port: Setting<number | null>; readonly host: Setting<string> };
    /** /healthz endpoint; port null: off. */
    readonly health: { readonly port: Setting<number | null>; readonly host: Setting<string> };
  };
  /** The committed-document store: a PostgreSQL URL, or null for the embedded SQLite file in the state directory. */
  readonly documents: { readonly url: Setting<string | null> };
  /**
   * OpenTelemetry tracing (the `tracing:` section and the standard OTEL_* variables). The values from
   * the environment are as given: they are checked only by the commands that trace (a variable set for
   * other programs does not stop `runbook validate`).
   */
  readonly tracing: {
    /** The OTLP/HTTP traces URL (…/v1/traces); null: tracing off (also when OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none says so). */
    readonly endpoint: Setting<string | null>;
    /** "http/protobuf" or "http/json" from the file; anything from the environment. */
    readonly protocol: Setting<string>;
    readonly serviceName: Setting<string>;
  };
  /** `runbook console` / `runbook dev`: where it binds, and the `console:` section as written (auth, roles). */
  readonly console: {
    readonly port: Setting<number>;
    readonly host: Setting<string>;
    /** The `console:` section of the config file (its paths are not paths: nothing to resolve), or `{}`. */
    readonly settings: ConsoleConfig;
  };
}

/** Values given on the command line; paths relative to the working directory. */
export interface ConfigOverrides {
  readonly runbooks?: string;
  readonly handlers?: string | false;
  readonly agents?: string | false;
  readonly stateDir?: string;
  readonly address?: string;
  readonly namespace?: string;
  readonly taskQueue?: string;
  readonly consolePort?: number;
  readonly consoleHost?: string;
  readonly tls?: boolean;
  readonly tlsCaPath?: string;
  readonly tlsCertPath?: string;
  readonly tlsKeyPath?: string;
  readonly tlsServerName?: string;
  readonly metricsPort?: number;
  readonly healthPort?: number;
}

export interface ResolveConfigOptions {
  readonly cwd?: string;
  readonly env?: Environment;
  readonly flags?: ConfigOverrides;
  /** Use this config file instead of searching (default: `RUNBOOK_CONFIG`, else the nearest one). */
  readonly file?: string;
}

/** The config file is not valid: code, file:line:column, message. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: CONFIG_INVALID: ${detail}`);
  }
}

/** An environment variable's value is not what its setting takes (exit 2, like a bad config file). */
export class EnvironmentConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly variable: string,
    readonly detail: string,
  ) {
    super(`env ${variable}: CONFIG_INVALID: ${detail}`);
  }
}

/** true/false in the spellings the Temporal CLI accepts. */
function parseBoolean(variable: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new EnvironmentConfigError(variable, `expected true or false, got "${raw}"`);
}

interface ParsedConfig {
  readonly values: ConfigFile;
  readonly lineOf: (key: readonly string[]) => number;
}

// zod and yaml load only when there is a config file to read: a command in a project without
// one (or `runbook --help`) does not pay for them. Synchronous, as resolution is.
const requireHere = createRequire(import.meta.url);
const loadFormat = (): typeof ConfigFormat => requireHere(import.meta.url.endsWith('.ts') ? './config-format.ts' : './config-format.js') as typeof ConfigFormat;
const loadYaml = (): typeof YamlModule => requireHere('yaml') as typeof YamlModule;

/** The keys the object schema at `path` (inside `schema`) knows, for a did-you-mean; [] when there is none. */
function knownKeysAt(schema: unknown, path: readonly (string | number)[]): string[] {
  type Schema = { shape?: Record<string, unknown>; unwrap?: () => unknown; options?: readonly unknown[] } | undefined;
  // Through optional wrappers, and to the object among a union's options (`tls: true | {...}`).
  const objectOf = (node: Schema): Schema => {
    let current = node;
    while (current?.unwrap && !current.shape) current = current.unwrap() as Schema;
    if (!current?.shape && current?.options) return current.options.map((option) => objectOf(option as Schema)).find((option) => option?.shape);
    return current;
  };
  let current = schema as Schema;
  for (const key of path) current = objectOf(current)?.shape?.[String(key)] as Schema;
  current = objectOf(current);
  return current?.shape ? Object.keys(current.shape) : [];
}

/** Reads and validates a config file; every problem is a ConfigError at its line. */
export function readConfigFile(file: string): ParsedConfig {
  const { ConfigSchema } = loadFormat();
  const { isMap, LineCounter, parseDocument } = loadYaml();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, 1, 1, `cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const place = (offset: number): { line: number; col: number } => lineCounter.linePos(offset);
  if (document.errors.length > 0) {
    const [first] = document.errors;
    const { line, col } = place(first.pos[0]);
    throw new ConfigError(file, line, col, `YAML: ${first.message.split('\n')[0]}`);
  }
  const nodeAt = (path: readonly (string | number)[]): Node | undefined => {
    for (let length = path.length; length > 0; length--) {
      const node = document.getIn(path.slice(0, length), true) as Node | undefined;
      if (node && typeof node === 'object' && 'range' in node && node.range) return node;
    }
    return document.contents ?? undefined;
  };
  const raw = document.toJS() ?? {};
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    let node = nodeAt(path);
    // An unknown key: point at the key itself.
    if (issue.code === 'unrecognized_keys' && isMap(node)) {
      const pair = node.items.find((item) => issue.keys.includes(String((item.key as { value?: unknown }).value)));
      node = (pair?.key as Node | undefined) ?? node;
    }
    const { line, col } = place(node?.range?.[0] ?? 0);
    const where = path.length > 0 ? `${path.join('.')}: ` : '';
    let hint = '';
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(ConfigSchema, path);
      const match = issue.keys.length === 1 ? closestMatch(issue.keys[0], known) : undefined;
      hint = match ? ` (did you mean "${match}"?)` : ` (known keys: ${known.filter((key) => key !== '$schema').join(', ')})`;
    }
    throw new ConfigError(file, line, col, `${where}${issue.message}${hint}`);
  }
  return { values: parsed.data, lineOf: (key) => place(nodeAt(key)?.range?.[0] ?? 0).line };
}

/** Resolves the configuration for a command run in `cwd`. Throws ConfigError for a bad config file. */
export function resolveProjectConfig(options: ResolveConfigOptions = {}): ProjectConfig {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const flags = options.flags ?? {};
  const explicit = options.file ?? (env.RUNBOOK_CONFIG ? resolve(cwd, env.RUNBOOK_CONFIG) : undefined);
  const file = explicit ?? findConfigFile(cwd);
  const parsed = file ? readConfigFile(file) : undefined;
  const root = file ? dirname(file) : cwd;
  const values = parsed?.values ?? {};
  const fileName = file ? relative(cwd, file) || file : '';
  const fromFile = (key: readonly string[]): string => `${fileName}:${parsed?.lineOf(key) ?? 1}`;

  const pick = <T>(flag: [string, T | undefined], envName: string | undefined, fileKey: readonly string[], fileValue: T | undefined, fallback: T, toValue: (value: T, base: string) => T): Setting<T> => {
    if (flag[1] !== undefined) return { value: toValue(flag[1], cwd), source: `flag ${flag[0]}` };
    const fromEnv = envName ? env[envName]?.trim() : undefined;
    if (envName && fromEnv) return { value: toValue(fromEnv as T, cwd), source: `env ${envName}` };
    if (fileValue !== undefined) return { value: toValue(fileValue, root), source: fromFile(fileKey) };
    return { value: toValue(fallback, root), source: 'default' };
  };
  const path = (value: string, base: string): string => (isAbsolute(value) ? value : resolve(base, value));
  const pathOrOff = (value: string | false, base: string): string | false => (value === false ? false : path(value, base));
  const same = <T>(value: T): T => value;
  const pathOrNull = (value: string | null, base: string): string | null => (value === null ? null : path(value, base));
  const boolean = (variable: string) => (value: boolean | null | string): boolean | null => (typeof value === 'string' ? parseBoolean(variable, value) : value);
  const tlsFile = typeof values.temporal?.tls === 'object' ? values.temporal.tls : {};
  const tlsKey = (key: string): string[] => (typeof values.temporal?.tls === 'object' ? ['temporal', 'tls', key] : ['temporal', 'tls']);
  const apiKeyEnv = pick(['--api-key-env', undefined], undefined, ['temporal', 'api_key_env'], values.temporal?.api_key_env, DEFAULT_API_KEY_ENV, same);
  const worker = values.worker ?? {};
  const fromEnv = (...names: string[]): { name: string; value: string } | undefined =>
    names.map((name) => ({ name, value: env[name]?.trim() ?? '' })).find((found) => found.value !== '');
  const tracingEndpoint = (): Setting<string | null> => {
    const disabled = fromEnv('OTEL_SDK_DISABLED');
    if (disabled && /^true$/i.test(disabled.value)) return { value: null, source: `env ${disabled.name}` };
    const exporter = fromEnv('OTEL_TRACES_EXPORTER');
    if (exporter?.value.toLowerCase() === 'none') return { value: null, source: `env ${exporter.name}` };
    const traces = fromEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    if (traces) return { value: traces.value, source: `env ${traces.name}` };
    const base = fromEnv('OTEL_EXPORTER_OTLP_ENDPOINT');
    if (base) return { value: tracesUrl(base.value), source: `env ${base.name}` };
    if (values.tracing?.endpoint) return { value: tracesUrl(values.tracing.endpoint), source: fromFile(['tracing', 'endpoint']) };
    return { value: null, source: 'default' };
  };
  const tracingProtocol = fromEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL');

  return {
    ...(file ? { file } : {}),
    root,
    runbooks: pick(['--runbooks', flags.runbooks], undefined, ['runbooks'], values.runbooks, DEFAULT_RUNBOOKS_DIR, path),
    handlers: pick<string | false>(['--handlers', flags.handlers], undefined, ['handlers'], values.handlers, DEFAULT_HANDLERS_DIR, pathOrOff),
    agents: pick<string | false>(['--agents', flags.agents], undefined, ['agents'], values.agents, DEFAULT_AGENTS_DIR, pathOrOff),
    stateDir: pick(['--state-dir', flags.stateDir], 'RUNBOOK_STATE_DIR', ['state_dir'], values.state_dir, DEFAULT_STATE_DIR, path),
    temporal: {
      address: pick(['--address', flags.address], 'TEMPORAL_ADDRESS', ['temporal', 'address'], values.temporal?.address, DEFAULT_TEMPORAL_ADDRESS, same),
      namespace: pick(['--namespace', flags.namespace], 'TEMPORAL_NAMESPACE', ['temporal', 'namespace'], values.temporal?.namespace, DEFAULT_NAMESPACE, same),
      taskQueue: pick(['--task-queue', flags.taskQueue], 'TEMPORAL_TASK_QUEUE', ['temporal', 'task_queue'], values.temporal?.task_queue, DEFAULT_TASK_QUEUE, same),
      tls: {
        enabled: pick<boolean | null>(['--tls', flags.tls], 'TEMPORAL_TLS', ['temporal', 'tls'], typeof values.temporal?.tls === 'boolean' ? values.temporal.tls : values.temporal?.tls ? true : undefined, null, boolean('TEMPORAL_TLS')),
        serverCaCertPath: pick<string | null>(['--tls-ca-path', flags.tlsCaPath], 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', tlsKey('server_ca_cert_path'), tlsFile.server_ca_cert_path, null, pathOrNull),
        serverName: pick<string | null>(['--tls-server-name', flags.tlsServerName], 'TEMPORAL_TLS_SERVER_NAME', tlsKey('server_name'), tlsFile.server_name, null, same),
        clientCertPath: pick<string | null>(['--tls-cert-path', flags.tlsCertPath], 'TEMPORAL_TLS_CLIENT_CERT_PATH', tlsKey('client_cert_path'), tlsFile.client_cert_path, null, pathOrNull),
        clientKeyPath: pick<string | null>(['--tls-key-path', flags.tlsKeyPath], 'TEMPORAL_TLS_CLIENT_KEY_PATH', tlsKey('client_key_path'), tlsFile.client_key_path, null, pathOrNull),
        serverCaCertData: pick<string | null>(['--tls-ca-data', undefined], 'TEMPORAL_TLS_SERVER_CA_CERT_DATA', [], undefined, null, same),
        clientCertData: pick<string | null>(['--tls-cert-data', undefined], 'TEMPORAL_TLS_CLIENT_CERT_DATA', [], undefined, null, same),
        clientKeyData: pick<string | null>(['--tls-key-data', undefined], 'TEMPORAL_TLS_CLIENT_KEY_DATA', [], undefined, null, same),
        disableHostVerification: pick<boolean>(['--tls-disable-host-verification', undefined], 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION', [], undefined, false, (value) => boolean('TEMPORAL_TLS_DISABLE_HOST_VERIFICATION')(value) ?? false),
      },
      apiKey: { env: apiKeyEnv, value: env[apiKeyEnv.value]?.trim() || null },
    },
    worker: {
      maxConcurrentActivities: pick(['--max-concurrent-activities', undefined], undefined, ['worker', 'max_concurrent_activities'], worker.max_concurrent_activities, DEFAULT_MAX_CONCURRENT_ACTIVITIES, same),
      maxConcurrentWorkflowTasks: pick(['--max-concurrent-workflow-tasks', undefined], undefined, ['worker', 'max_concurrent_workflow_tasks'], worker.max_concurrent_workflow_tasks, DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS, same),
      maxCachedWorkflows: pick<number | null>(['--max-cached-workflows', undefined], undefined, ['worker', 'max_cached_workflows'], worker.max_cached_workflows, null, same),
      shutdownGraceTime: pick(['--shutdown-grace-time', undefined], undefined, ['worker', 'shutdown_grace_time'], worker.shutdown_grace_time, DEFAULT_SHUTDOWN_GRACE_TIME, same),
      metrics: {
        port: pick<number | null>(['--metrics-port', flags.metricsPort], undefined, ['worker', 'metrics', 'port'], worker.metrics?.port, null, same),
        host: pick(['--metrics-host', undefined], undefined, ['worker', 'metrics', 'host'], worker.metrics?.host, DEFAULT_LISTEN_HOST, same),
      },
      health: {
        port: pick<number | null>(['--health-port', flags.healthPort], undefined, ['worker', 'health', 'port'], worker.health?.port, null, same),
        host: pick(['--health-host', undefined], undefined, ['worker', 'health', 'host'], worker.health?.host, DEFAULT_LISTEN_HOST, same),
      },
    },
    documents: { url: pick<string | null>(['--documents-url', undefined], 'RUNBOOK_DOCUMENTS_URL', ['documents', 'url'], values.documents?.url, null, same) },
    tracing: {
      endpoint: tracingEndpoint(),
      protocol: tracingProtocol
        ? { value: tracingProtocol.value, source: `env ${tracingProtocol.name}` }
        : pick<string>(['--tracing-protocol', undefined], undefined, ['tracing', 'protocol'], values.tracing?.protocol, DEFAULT_TRACING_PROTOCOL, same),
      serviceName: pick(['--service-name', undefined], 'OTEL_SERVICE_NAME', ['tracing', 'service_name'], values.tracing?.service_name, DEFAULT_TRACING_SERVICE_NAME, same),
    },
    console: {
      port: pick(['--port', flags.consolePort], undefined, ['console', 'port'], values.console?.port, DEFAULT_CONSOLE_PORT, same),
      host: pick(['--host', flags.consoleHost], undefined, ['console', 'host'], values.console?.host, DEFAULT_CONSOLE_HOST, same),
      settings: values.console ?? {},
    },
  };
}

/**
 * The traces URL of an OTLP/HTTP base URL: `/v1/traces` added (as OTEL_EXPORTER_OTLP_ENDPOINT's is),
 * unless it is already there.
 */
export function tracesUrl(base: string): string {
  return /\/v1\/traces\/?$/.test(base) ? base : `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** A path as a person reads it: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
