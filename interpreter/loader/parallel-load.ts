/**
 * Large batches are loaded by this thread and worker threads together: files are
 * claimed in chunks through a shared counter (so a slow thread takes fewer), each
 * thread loads its chunks exactly as loadWithLocator does, and the results are put
 * back in file order. The cross-file checks then run here on the merged results.
 */
import { readFileSync } from 'node:fs';
import type { HandlerRegistry } from '../handlers/index.ts';
import type { AgentNames } from './checks/index.ts';
import type { Diagnostic } from './diagnostic.ts';
import { loadWithLocator, type LoadDetails } from './load-runbook.ts';
import { SourceLocator } from './source-locator.ts';
import { bootWorkers, CHUNK, type PortableDetails, type WorkerPool, type WorkerSetup, type WorkOrder } from './worker-pool.ts';
import { parseFirstDocument } from './yaml-document.ts';

export { PARALLEL_MIN_FILES, workerCount, type PortableDetails, type WorkerData, type WorkerMessage, type WorkerSetup, type WorkOrder } from './worker-pool.ts';

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


/** Every file's details in order, and which of them a worker loaded (with agent names only: no agent-input checks). */
export type ParallelLoad = (options: { handlers?: HandlerRegistry; agents?: AgentNames; maxBytes?: number }) => Promise<{ details: LoadDetails[]; byWorker: ReadonlySet<number> }>;

/** Hands `paths` to the pool's workers and returns the function that joins in and collects every result. */
export function runOnPool(pool: WorkerPool, paths: readonly string[], sources: readonly (Uint8Array | undefined)[] | undefined, agentNames: readonly string[] | undefined): ParallelLoad {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const chunks = Math.ceil(paths.length / CHUNK);
  const results: (LoadDetails | undefined)[] = new Array(paths.length);
  const byWorker = new Set<number>();
  const order: WorkOrder = { paths, next, chunk: CHUNK, ...(sources ? { sources } : {}), ...(agentNames ? { agentNames } : {}) };
  const running = pool.threads.map((thread) =>
    thread.run(order, (chunk, details) => {
      details.forEach((portable, k) => {
        const index = chunk * CHUNK + k;
        results[index] = fromPortable(paths[index], portable);
        byWorker.add(index);
      });
    }),
  );
  return async (options) => {
    for (let chunk = Atomics.add(next, 0, 1); chunk < chunks; chunk = Atomics.add(next, 0, 1)) {
      const end = Math.min(paths.length, (chunk + 1) * CHUNK);
      for (let index = chunk * CHUNK; index < end; index++) results[index] = loadFileSync(paths[index], options, sources?.[index]);
    }
    await Promise.all(running);
    // A worker that failed part-way leaves holes: fill them here.
    return { details: paths.map((file, index) => results[index] ?? loadFileSync(file, options, sources?.[index])), byWorker };
  };
}

/**
 * Starts `workers` threads on `paths` right away (they boot while this thread gets
 * ready), and returns the function that joins in and collects every result.
 */
export function startParallelLoad(paths: readonly string[], setup: WorkerSetup & { readonly agentNames?: readonly string[] }, workers: number, sources?: readonly (Uint8Array | undefined)[]): ParallelLoad {
  const { agentNames, ...boot } = setup;
  return runOnPool(bootWorkers(boot, workers), paths, sources, agentNames);
}
