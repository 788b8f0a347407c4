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
export const DEFAULT_STATE_DIR = '.runbook';
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_TASK_QUEUE = 'runbooks';
export const DEFAULT_CONSOLE_PORT = 4600;
export const DEFAULT_CONSOLE_HOST = '127.0.0.1';

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
  /** Absolute path of the state directory. */
  readonly stateDir: Setting<string>;
  readonly temporal: {
    readonly address: Setting<string>;
    readonly namespace: Setting<string>;
    readonly taskQueue: Setting<string>;
  };
  /** The committed-document store: a PostgreSQL URL, or null for the embedded SQLite file in the state directory. */
  readonly documents: { readonly url: Setting<string | null> };
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
  readonly stateDir?: string;
  readonly address?: string;
  readonly namespace?: string;
  readonly taskQueue?: string;
  readonly consolePort?: number;
  readonly consoleHost?: string;
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
  let current = schema as { shape?: Record<string, unknown>; unwrap?: () => unknown } | undefined;
  for (const key of path) {
    while (current?.unwrap && !current.shape) current = current.unwrap() as typeof current;
    current = current?.shape?.[String(key)] as typeof current;
  }
  while (current?.unwrap && !current.shape) current = current.unwrap() as typeof current;
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

  return {
    ...(file ? { file } : {}),
    root,
    runbooks: pick(['--runbooks', flags.runbooks], undefined, ['runbooks'], values.runbooks, DEFAULT_RUNBOOKS_DIR, path),
    handlers: pick<string | false>(['--handlers', flags.handlers], undefined, ['handlers'], values.handlers, DEFAULT_HANDLERS_DIR, pathOrOff),
    stateDir: pick(['--state-dir', flags.stateDir], 'RUNBOOK_STATE_DIR', ['state_dir'], values.state_dir, DEFAULT_STATE_DIR, path),
    temporal: {
      address: pick(['--address', flags.address], 'TEMPORAL_ADDRESS', ['temporal', 'address'], values.temporal?.address, DEFAULT_TEMPORAL_ADDRESS, same),
      namespace: pick(['--namespace', flags.namespace], 'TEMPORAL_NAMESPACE', ['temporal', 'namespace'], values.temporal?.namespace, DEFAULT_NAMESPACE, same),
      taskQueue: pick(['--task-queue', flags.taskQueue], 'TEMPORAL_TASK_QUEUE', ['temporal', 'task_queue'], values.temporal?.task_queue, DEFAULT_TASK_QUEUE, same),
    },
    documents: { url: pick<string | null>(['--documents-url', undefined], 'RUNBOOK_DOCUMENTS_URL', ['documents', 'url'], values.documents?.url, null, same) },
    console: {
      port: pick(['--port', flags.consolePort], undefined, ['console', 'port'], values.console?.port, DEFAULT_CONSOLE_PORT, same),
      host: pick(['--host', flags.consoleHost], undefined, ['console', 'host'], values.console?.host, DEFAULT_CONSOLE_HOST, same),
      settings: values.console ?? {},
    },
  };
}

/** A path as a person reads it: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
