/**
 * Worker threads for validating large batches: how many, and booting them (modules, handlers)
 * before they have work, so that their start-up overlaps the caller's own. Light on purpose: a
 * warm `runbook validate` imports this (to decide) but not the loader; the loading itself is in
 * parallel-load.ts. Node side.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LoadedRunbook, LoadResult } from './load-runbook.ts';

/**
 * Files per extra worker. A worker costs its start-up (~0.4 s of CPU: the loader's modules, the
 * handlers) and a second warm-up of the parsers, so it pays off only where the files are many.
 * Measured on this 2-core machine, idle, 1,000 files, cold: one thread 1.70-1.95 s; with a worker
 * booted first thing (it has its files at ~0.57 s and takes half of them) 1.70-1.90 s, and 0.7 s more
 * CPU: each thread then loads a file in ~2.2 ms instead of ~1.2 ms alone (the two vCPUs do not
 * give two cores' worth to this allocation-heavy work; a pure arithmetic loop does scale). So the
 * default stays high; RUNBOOK_VALIDATE_PARALLEL_MIN lowers it on machines where it pays.
 */
export const PARALLEL_MIN_FILES = 2000;
/** Files per claim. */
export const CHUNK = 16;
const MAX_WORKERS = 4;

/** How a worker gets its handlers: from this directory, or none (handler checks skipped). */
export interface WorkerSetup {
  readonly handlersDir?: string;
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

/** What a worker boots with (its handlers); the files come later, in a WorkOrder. */
export interface WorkerData {
  readonly setup: WorkerSetup;
}

/** The files a booted worker claims chunks of. */
export interface WorkOrder {
  readonly paths: readonly string[];
  /** The bytes of each path when the caller has read them already (validated as they are, never re-read). */
  readonly sources?: readonly (Uint8Array | undefined)[];
  readonly next: Int32Array;
  readonly chunk: number;
  /** The registered agents' names, when agent steps are checked. */
  readonly agentNames?: readonly string[];
}

export type WorkerMessage = { readonly chunk: number; readonly details: PortableDetails[] } | { readonly done: true } | { readonly failed: string };

/**
 * How many workers a batch of `files` gets (0: load on this thread only). RUNBOOK_VALIDATE_WORKERS
 * caps it (0 turns workers off); RUNBOOK_VALIDATE_PARALLEL_MIN sets the files per worker (machines
 * with more or faster cores than this one's two).
 */
export function workerCount(files: number, env: Readonly<Record<string, string | undefined>> = process.env): number {
  const number = (name: string): number | undefined => (/^\d+$/.test(env[name] ?? '') ? Number(env[name]) : undefined);
  const perWorker = Math.max(1, number('RUNBOOK_VALIDATE_PARALLEL_MIN') ?? PARALLEL_MIN_FILES);
  if (files < perWorker) return 0;
  const cap = number('RUNBOOK_VALIDATE_WORKERS') ?? MAX_WORKERS;
  return Math.max(0, Math.min(cap, availableParallelism() - 1, Math.floor(files / perWorker)));
}

/** Workers booting; `threads` are given their files by parallel-load.ts (runOnPool), `cancel` stops them unused. */
export interface WorkerPool {
  readonly threads: readonly BootedWorker[];
  cancel(): void;
}

export interface BootedWorker {
  /** Sends the files; resolves when the worker is done (or gone). At most once. */
  run(order: WorkOrder, onChunk: (chunk: number, details: PortableDetails[]) => void): Promise<void>;
  cancel(): void;
}

export function bootWorkers(setup: WorkerSetup, workers: number): WorkerPool {
  const threads = Array.from({ length: workers }, () => bootWorker({ setup }));
  return {
    threads,
    cancel() {
      for (const thread of threads) thread.cancel();
    },
  };
}

function bootWorker(data: WorkerData): BootedWorker {
  let worker: Worker | undefined;
  try {
    worker = new Worker(new URL('./validate-worker.mjs', import.meta.url), { workerData: data, stdout: false, stderr: false });
  } catch {
    worker = undefined;
  }
  // A worker that dies while booting is simply not there when the files come.
  let exited = false;
  worker?.on('error', () => undefined);
  worker?.on('exit', () => {
    exited = true;
  });
  let started = false;
  return {
    run(order, onChunk) {
      return new Promise((resolve) => {
        const thread = worker;
        if (!thread || started || exited) {
          resolve();
          return;
        }
        started = true;
        let settled = false;
        const finish = (): void => {
          if (settled) return;
          settled = true;
          void thread.terminate();
          resolve();
        };
        thread.on('message', (message: WorkerMessage) => {
          if ('chunk' in message) onChunk(message.chunk, message.details);
          else finish();
        });
        thread.on('error', finish);
        thread.on('exit', finish);
        thread.postMessage(order);
      });
    },
    cancel() {
      void worker?.terminate();
      worker = undefined;
    },
  };
}
