/**
 * Large batches are loaded by this thread and worker threads together: files are
 * claimed in chunks through a shared counter (so a slow thread takes fewer), each
 * thread loads its chunks exactly as loadWithLocator does, and the results are put
 * back in file order. The cross-file checks then run here on the merged results.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HandlerRegistry } from '../handlers/index.ts';
import type { AgentNames } from './checks/index.ts';
import type { Diagnostic } from './diagnostic.ts';
import { loadWithLocator, type LoadDetails, type LoadedRunbook, type LoadResult } from './load-runbook.ts';
import { SourceLocator } from './source-locator.ts';
import { parseFirstDocument } from './yaml-document.ts';

/**
 * Files per extra worker: a worker costs a module load (the loader, the handlers through tsx:
 * ~1 s of CPU), so it only pays off on large batches. Measured on 2 cores: 1,000 files 1.56 s
 * on one thread vs 1.81 s with a worker; 3,000 files 3.75 s vs 3.61 s. Again with the schema
 * precompiled, on a busy machine (load 3-6): 1,000 files 2.65 s vs 2.20 s once, 3.30 s vs
 * 4.67 s (cold cache) another time; 500 files 1.57 s vs 1.93 s. Kept where it was.
 */
export const PARALLEL_MIN_FILES = 2000;
/** Files per claim. */
const CHUNK = 16;
const MAX_WORKERS = 4;

/** How a worker gets its handlers: from this directory, or none (handler checks skipped). */
export interface WorkerSetup {
  readonly handlersDir?: string;
  /** The registered agents' names, when agent steps are checked. */
  readonly agentNames?: readonly string[];
  readonly maxBytes?: number;
  /** The project modules this thread built (entry file → output URL): the worker imports them as they are. */
  readonly builtModules?: Readonly<Record<string, string>>;
}

/** Load details as they cross threads: the locator travels as its text and is rebuilt lazily. */
export interface PortableDetails {
  readonly result: LoadResult;
  readonly slug?: string;
  readonly schemaValid?: LoadedRunbook;
  readonly locatorText?: string;
}

export interface WorkerData {
  readonly paths: readonly string[];
  /** The bytes of each path when the caller has read them already (validated as they are, never re-read). */
  readonly sources?: readonly (Uint8Array | undefined)[];
  readonly next: Int32Array;
  readonly chunk: number;
  readonly setup: WorkerSetup;
}

export type WorkerMessage = { readonly chunk: number; readonly details: PortableDetails[] } | { readonly done: true } | { readonly failed: string };

/** How many workers a batch of `files` gets (0: load on this thread only). RUNBOOK_VALIDATE_WORKERS caps it (0 turns workers off). */
export function workerCount(files: number): number {
  if (files < PARALLEL_MIN_FILES) return 0;
  const cap = /^\d+$/.test(process.env.RUNBOOK_VALIDATE_WORKERS ?? '') ? Number(process.env.RUNBOOK_VALIDATE_WORKERS) : MAX_WORKERS;
  return Math.max(0, Math.min(cap, availableParallelism() - 1, Math.floor(files / PARALLEL_MIN_FILES)));
}

/** Loads one file synchronously from `source`, else read now; a read failure becomes RB_READ_FAILED. */
export function loadFileSync(file: string, options: { handlers?: HandlerRegistry; agents?: AgentNames; maxBytes?: number }, source?: Uint8Array): LoadDetails {
  let bytes: Uint8Array;
  try {
    bytes = source ?? readFileSync(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const diagnostic: Diagnostic = { code: 'RB_READ_FAILED', severity: 'error', message: `cannot read file: ${reason}`, pointer: '', file, line: 1, column: 1 };
    return { result: { ok: false, diagnostics: [diagnostic] } };
  }
  return loadWithLocator(bytes, file, options);
}

export function toPortable(details: LoadDetails): PortableDetails {
  const { result, slug, schemaValid, locator } = details;
  return { result, slug, schemaValid, locatorText: locator?.text };
}

export function fromPortable(file: string, portable: PortableDetails): LoadDetails {
  const { result, slug, schemaValid, locatorText } = portable;
  const text = locatorText;
  const locator = text === undefined ? undefined : new SourceLocator(file, text, () => parseFirstDocument(text));
  return { result, ...(locator ? { locator } : {}), ...(slug !== undefined ? { slug } : {}), ...(schemaValid ? { schemaValid } : {}) };
}

/**
 * Starts `workers` threads on `paths` right away (they boot while this thread gets
 * ready), and returns the function that joins in and collects every result.
 */
export function startParallelLoad(
  paths: readonly string[],
  setup: WorkerSetup,
  workers: number,
  sources?: readonly (Uint8Array | undefined)[],
): (options: { handlers?: HandlerRegistry; agents?: AgentNames; maxBytes?: number }) => Promise<LoadDetails[]> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const chunks = Math.ceil(paths.length / CHUNK);
  const results: (LoadDetails | undefined)[] = new Array(paths.length);
  const data: WorkerData = { paths, next, chunk: CHUNK, setup, ...(sources ? { sources } : {}) };
  const threads = Array.from({ length: workers }, () => runWorker(data, (chunk, details) => {
    details.forEach((portable, k) => {
      const index = chunk * CHUNK + k;
      results[index] = fromPortable(paths[index], portable);
    });
  }));

  return async (options) => {
    for (let chunk = Atomics.add(next, 0, 1); chunk < chunks; chunk = Atomics.add(next, 0, 1)) {
      const end = Math.min(paths.length, (chunk + 1) * CHUNK);
      for (let index = chunk * CHUNK; index < end; index++) results[index] = loadFileSync(paths[index], options, sources?.[index]);
    }
    await Promise.all(threads);
    // A worker that failed part-way leaves holes: fill them here.
    return paths.map((file, index) => results[index] ?? loadFileSync(file, options, sources?.[index]));
  };
}

function runWorker(data: WorkerData, onChunk: (chunk: number, details: PortableDetails[]) => void): Promise<void> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./validate-worker.mjs', import.meta.url), { workerData: data, stdout: false, stderr: false });
    } catch {
      resolve();
      return;
    }
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      resolve();
    };
    worker.on('message', (message: WorkerMessage) => {
      if ('chunk' in message) onChunk(message.chunk, message.details);
      else finish();
    });
    worker.on('error', finish);
    worker.on('exit', finish);
  });
}
