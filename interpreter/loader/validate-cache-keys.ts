/**
 * What a cached validation result depends on besides the file itself, hashed into one
 * environment key: our package version and the validator's own code (stamped by size and
 * mtime, so a rebuilt checkout never reuses results of older checks), the published schema,
 * the size limit, and the handler and agent contracts (names + input/output JSON Schemas). Node side.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ZodType } from 'zod';

/** Named input/output contracts: a HandlerRegistry or an AgentRegistry. */
export interface ContractRegistry {
  names(): readonly string[];
  get(name: string): { readonly input: ZodType; readonly output: ZodType } | undefined;
}

/** Bumped when the entry layout or what an entry means changes. */
export const CACHE_FORMAT = 2;

const PACKAGE_JSON = new URL('../../package.json', import.meta.url);
const SCHEMA = new URL('../../schema/runbook.schema.json', import.meta.url);
/** The rooms whose code decides a file's diagnostics. */
const CODE_DIRS = ['loader', 'loader/checks', 'expressions', 'format'];

export interface EnvironmentParts {
  readonly version: string;
  readonly code: string;
  readonly schema: string;
  readonly maxBytes: number;
}

export function sha256(...parts: readonly (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** Where the version and the schema are read from; default this package's own files. */
export interface KeyFiles {
  readonly packageJson?: string | URL;
  readonly schema?: string | URL;
}

/** The parts that do not depend on the handlers. */
export async function environmentParts(maxBytes: number, files: KeyFiles = {}): Promise<EnvironmentParts> {
  const [pkg, schema, code] = await Promise.all([readFile(files.packageJson ?? PACKAGE_JSON, 'utf8'), readFile(files.schema ?? SCHEMA), codeStamp()]);
  const version = (JSON.parse(pkg) as { version?: unknown }).version;
  return { version: typeof version === 'string' ? version : 'unknown', code, schema: sha256(schema), maxBytes };
}

/** The environment key of a run; `contracts` is contractsHash(...) or 'skipped'. */
export function environmentKey(parts: EnvironmentParts, contracts: string): string {
  return sha256(JSON.stringify({ format: CACHE_FORMAT, ...parts, contracts }));
}

/** The key of one file's entry: its path (diagnostics name it) and its bytes. */
export function fileKey(file: string, bytes: Uint8Array): string {
  return sha256(file, bytes);
}

/**
 * Hash of every handler's (or agent's) name and contracts as JSON Schema. Undefined when a contract cannot
 * be expressed as JSON Schema at all (another zod major, say): then nothing is cached. zod is
 * imported here, once handlers are loaded (they import it anyway): a warm run needs neither.
 */
export async function contractsHash(registry: ContractRegistry): Promise<string | undefined> {
  const { z } = await import('zod');
  try {
    const contracts = registry.names().map((name) => {
      const handler = registry.get(name);
      if (!handler) throw new Error(`no handler ${name}`);
      return {
        name,
        input: z.toJSONSchema(handler.input, { io: 'input', unrepresentable: 'any', cycles: 'ref' }),
        output: z.toJSONSchema(handler.output, { io: 'output', unrepresentable: 'any', cycles: 'ref' }),
      };
    });
    return sha256(JSON.stringify(contracts));
  } catch {
    return undefined;
  }
}

async function codeStamp(): Promise<string> {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const stamps = await Promise.all(
    CODE_DIRS.map(async (dir) => {
      const names = await readdir(join(root, dir)).catch(() => [] as string[]);
      const files = names.filter((name) => /\.([mc]?js|ts)$/.test(name)).sort();
      return Promise.all(files.map(async (name) => `${dir}/${name}:${sha256(await readFile(join(root, dir, name)))}`));
    }),
  );
  return sha256([...stamps.flat(), ...PARSERS.map(packageVersion)].join('\n'));
}

/** The packages whose behaviour decides a file's diagnostics beside our code: another version is another environment. */
const PARSERS = ['yaml', 'js-yaml', 'ajv', 'jsonata'];
const requireHere = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    return `${name}@${(requireHere(`${name}/package.json`) as { version?: string }).version ?? '?'}`;
  } catch {
    return `${name}@?`;
  }
}
