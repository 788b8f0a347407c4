/**
 * `runbook validate` with the content-hash cache (validate-cache.ts): files whose bytes and
 * environment are unchanged reuse their stored outcome; the rest are loaded as
 * validateRunbookFiles loads them; the cross-file checks always run on all of them. A warm
 * run imports neither the parsers nor the schema compiler, and not even the handlers when
 * their module graph is unchanged (handler-fingerprint.ts). Node side.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AgentRegistry } from '../agents/agent-registry.ts';
import { DEFAULT_HANDLERS_DIR, loadHandlerRegistry, resolveHandlerEntry, type HandlerRegistry } from '../handlers/index.ts';
import { crossFileProblems, orderDiagnostics, type FileOutcome } from './cross-file.ts';
import { DEFAULT_MAX_BYTES, decodeSource } from './decode-source.ts';
import type { Diagnostic } from './diagnostic.ts';
import { handlerFingerprint } from './handler-fingerprint.ts';
import { bootWorkers, workerCount, type WorkerPool } from './worker-pool.ts';
import type { SourceLocator } from './source-locator.ts';
import { ValidateCache } from './validate-cache.ts';
import { contractsHash, environmentKey, environmentParts, fileKey, type KeyFiles } from './validate-cache-keys.ts';

export interface CachedValidateOptions {
  /** The cache directory (`cliConfig().state.validateCache`); undefined validates without a cache. */
  readonly cacheDir?: string;
  /** The handlers entry to check calls against (default `handlers/`); `null` skips handler checks. */
  readonly handlersDir?: string | null;
  /** The agents entry to check agent steps against; undefined: no agents, agent checks skipped. */
  readonly agentsDir?: string;
  readonly maxBytes?: number;
  /** Other runbook files that children may name; their own problems are not reported. */
  readonly referencePaths?: readonly string[];
  /** Another package.json / schema to key the cache by (tests); default this package's. */
  readonly keyFiles?: KeyFiles;
}

export interface CachedValidationReport {
  readonly diagnostics: Diagnostic[];
  readonly handlersSkipped?: string;
  /** Files whose outcome came from the cache, and files loaded now (references included). */
  readonly cache: { readonly hits: number; readonly misses: number };
}

/**
 * Validates like validateRunbookFiles (same diagnostics, same order), reusing cached per-file
 * outcomes. Throws HandlersLoadError (AgentsLoadError) when handlers (agents) are needed and cannot be loaded.
 *
 * @example
 * const report = await validateRunbookFilesCached(files, { cacheDir: cliConfig().state.validateCache });
 */
export async function validateRunbookFilesCached(paths: readonly string[], options: CachedValidateOptions = {}): Promise<CachedValidationReport> {
  // Many files and (by a few of them) no cache entries: worker threads boot now, beside this thread's
  // own start-up (modules, handlers), and get the files that miss; stopped unused when few miss.
  const files = paths.length + (options.referencePaths?.length ?? 0);
  const workers = workerCount(files);
  const cache = options.cacheDir === undefined ? undefined : new ValidateCache(options.cacheDir);
  const handlersDir = options.handlersDir === null ? undefined : (options.handlersDir ?? DEFAULT_HANDLERS_DIR);
  const cold = workers > 0 && (!cache || paths.slice(0, 8).every((file) => !cache.has(file)));
  const pool = cold ? bootWorkers({ handlersDir, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES }, workers) : undefined;
  try {
    return await validateWith(paths, options, pool, cache);
  } finally {
    pool?.cancel();
  }
}

async function validateWith(paths: readonly string[], options: CachedValidateOptions, pool: WorkerPool | undefined, cache: ValidateCache | undefined): Promise<CachedValidationReport> {
  const listed = new Set(paths);
  const all = [...paths, ...(options.referencePaths ?? []).filter((path) => !listed.has(path))];
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const handlersDir = options.handlersDir === null ? undefined : (options.handlersDir ?? DEFAULT_HANDLERS_DIR);

  const partsPromise = cache ? environmentParts(maxBytes, options.keyFiles) : undefined;
  // Synchronous reads: for many small files, far cheaper than a promise (open, stat, read, close) each.
  const bytes = all.map((file) => readQuietly(file));
  const parts = await partsPromise;
  const keys = all.map((file, index) => (bytes[index] ? fileKey(file, bytes[index]) : undefined));
  // The full validator (parsers, schema), the handlers and the agents load side by side: the project's
  // modules are built in esbuild's own process (handlers/bundle-project-module.ts), and no loader thread
  // slows the imports after them.
  let validator: Promise<typeof import('./validate-files.ts')> | undefined;
  const fullValidator = (): Promise<typeof import('./validate-files.ts')> =>
    (validator ??= Promise.all([import('./validate-files.ts'), cache ? import('zod') : undefined]).then(([files]) => {
      // zod too when a cache is kept (contractsHash): it stays out of a warm run.
      files.prepareValidation();
      return files;
    }));
  let registry: Promise<HandlerRegistry> | undefined;
  const handlers = (): Promise<HandlerRegistry> => (registry ??= loadHandlerRegistry(handlersDir, { bundle: true }));
  const { agentsDir } = options;
  let agentRegistry: Promise<AgentRegistry> | undefined;
  const agents = (): Promise<AgentRegistry> | undefined => {
    if (agentsDir === undefined) return undefined;
    if (!agentRegistry) {
      agentRegistry = import('../agents/agent-registry.ts').then((module) => module.loadAgentRegistry(agentsDir, { bundle: true }));
      // Awaited after the handlers: when they fail first, this one's failure is not reported (nor unhandled).
      agentRegistry.catch(() => undefined);
    }
    return agentRegistry;
  };

  // The contracts hashes: none when skipped; remembered by the graph's fingerprint; else from the loaded handlers (agents).
  const fingerprint = cache && handlersDir !== undefined ? handlerFingerprintOf(handlersDir) : undefined;
  let contracts: string | undefined = handlersDir === undefined ? 'skipped' : fingerprint && cache ? await cache.contracts(fingerprint) : undefined;
  if (cache && contracts === undefined) {
    contracts = await contractsHash(await handlers());
  }
  // Agents' contracts key the cache too: an agent renamed, added or with another contract is a miss. Memoised under `agents-<fingerprint>`.
  const agentsFingerprint = cache && agentsDir !== undefined ? handlerFingerprintOf(agentsDir) : undefined;
  let agentContracts: string | undefined = agentsDir === undefined ? 'none' : agentsFingerprint && cache ? await cache.contracts(`agents-${agentsFingerprint}`) : undefined;
  if (cache && agentContracts === undefined) {
    agentContracts = await contractsHash(await (agents() as Promise<AgentRegistry>));
  }
  const keyOf = (handlerHash: string | undefined, agentHash: string | undefined): string | undefined =>
    parts && handlerHash && agentHash ? environmentKey(parts, agentHash === 'none' ? handlerHash : `${handlerHash}+agents:${agentHash}`) : undefined;
  const lookup = async (env: string | undefined): Promise<(FileOutcome | undefined)[]> =>
    cache && env ? all.map((file, index) => (keys[index] ? cache.get(keys[index], env, file) : undefined)) : all.map(() => undefined);
  let env = keyOf(contracts, agentContracts);
  let outcomes = await lookup(env);

  let fresh = 0;
  let locators = new Map<string, SourceLocator>();
  if (outcomes.some((outcome) => !outcome)) {
    const registryPromise = handlersDir === undefined ? undefined : handlers();
    registryPromise?.catch(() => undefined);
    void agents();
    const files = await fullValidator();
    const loaded = registryPromise ? await registryPromise : undefined;
    const loadedAgents = await agents();
    if (cache && parts && ((loaded && fingerprint) || (loadedAgents && agentsFingerprint))) {
      const actual = loaded && fingerprint ? await contractsHash(loaded) : contracts;
      const actualAgents = loadedAgents && agentsFingerprint ? await contractsHash(loadedAgents) : agentContracts;
      if (actual !== contracts || actualAgents !== agentContracts) {
        // A remembered hash was stale: nothing looked up under it counts.
        contracts = actual;
        agentContracts = actualAgents;
        env = keyOf(actual, actualAgents);
        outcomes = await lookup(env);
      }
      if (actual && fingerprint) await cache.rememberContracts(fingerprint, actual);
      if (actualAgents && agentsFingerprint) await cache.rememberContracts(`agents-${agentsFingerprint}`, actualAgents);
    }
    const missing = all.flatMap((file, index) => (outcomes[index] ? [] : [index]));
    fresh = missing.length;
    const workerPool = pool && workerCount(missing.length) > 0 ? pool : undefined;
    if (pool && !workerPool) pool.cancel();
    const byPath = new Map(missing.map((index) => [all[index], bytes[index]]));
    const { details } = await files.loadRunbookDetails(
      missing.map((index) => all[index]),
      {
        handlers: loaded ?? null,
        ...(loadedAgents ? { agents: loadedAgents } : {}),
        ...(handlersDir === undefined ? {} : { handlersDir }),
        maxBytes,
        ...(workerPool ? { workerPool } : {}),
        // With a cache, validate exactly the bytes the keys were computed from.
        ...(cache ? { readFile: async (file: string) => byPath.get(file) ?? readFile(file), sources: definedBytes(byPath) } : {}),
      },
    );
    missing.forEach((index, k) => {
      const outcome = files.toOutcome(all[index], details[k]);
      outcomes[index] = outcome;
      const { locator } = details[k];
      if (locator) locators.set(all[index], locator);
      const key = keys[index];
      // Read failures and internal errors are not results worth keeping.
      if (cache && env && key && !outcome.diagnostics.some((d) => d.code === 'RB_INTERNAL' || d.code === 'RB_READ_FAILED')) cache.set(key, env, outcome);
    });
    cache?.flush();
  }

  const complete = outcomes.map((outcome, index) => outcome ?? { file: all[index], diagnostics: [] });
  const checked = complete.slice(0, paths.length);
  const diagnostics = checked.flatMap((outcome) => [...outcome.diagnostics]);
  const problems = crossFileProblems(checked, complete.slice(paths.length));
  if (problems instanceof Error) {
    diagnostics.push({ code: 'RB_INTERNAL', severity: 'error', message: `validator failed: ${problems.message}`, pointer: '', file: paths[0] ?? '', line: 1, column: 1 });
  } else if (problems.length > 0) {
    locators = await withCachedLocators(locators, all, bytes, maxBytes);
    for (const { file, problem } of problems) {
      const locator = locators.get(file);
      if (locator) diagnostics.push(locator.place(problem, (other) => locators.get(other)));
    }
  }
  orderDiagnostics(paths, diagnostics);
  return {
    diagnostics,
    ...(handlersDir === undefined ? { handlersSkipped: 'handler checks disabled' } : {}),
    cache: { hits: all.length - fresh, misses: fresh },
  };
}

function definedBytes(byPath: ReadonlyMap<string, Uint8Array | undefined>): Map<string, Uint8Array> {
  return new Map([...byPath].flatMap(([file, data]) => (data ? [[file, data] as const] : [])));
}

function readQuietly(file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // loaded again by the validator, which reports RB_READ_FAILED
  }
}

function handlerFingerprintOf(handlersDir: string): string | undefined {
  try {
    return handlerFingerprint(resolveHandlerEntry(handlersDir));
  } catch {
    return undefined; // the load reports it, with its code
  }
}

/** Locators for files that came from the cache, parsing their YAML only if a problem is placed in them. */
async function withCachedLocators(locators: Map<string, SourceLocator>, all: readonly string[], bytes: readonly (Uint8Array | undefined)[], maxBytes: number): Promise<Map<string, SourceLocator>> {
  const [{ SourceLocator }, { parseFirstDocument }] = await Promise.all([import('./source-locator.ts'), import('./yaml-document.ts')]);
  const result = new Map(locators);
  all.forEach((file, index) => {
    const data = bytes[index];
    if (result.has(file) || !data) return;
    const decoded = decodeSource(data, maxBytes);
    if (decoded.ok) result.set(file, new SourceLocator(file, decoded.text, () => parseFirstDocument(decoded.text)));
  });
  return result;
}
