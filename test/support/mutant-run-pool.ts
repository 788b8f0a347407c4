/**
 * Runs mutants one at a time on a worker thread (mutant-run-worker.mjs) under a hard wall-clock
 * bound per run. A run that does not report in time — even one spinning synchronously, which no
 * timer inside its thread could stop — is a `hang`: the thread is terminated and a fresh one
 * serves the next mutant. A thread that dies (out of memory, an uncaught error) is a `crash`.
 */
import { Worker } from 'node:worker_threads';
import type { RunVerdict } from './mutant-driver.ts';

export interface MutantJob {
  readonly index: number;
  readonly base: string;
  readonly bytes: Uint8Array;
  readonly seed: number;
  /** The driver's own (soft) bound; the pool's hard bound is this plus `graceMs`. */
  readonly boundMs: number;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'started'; readonly index: number }
  | { readonly type: 'done'; readonly index: number; readonly verdict: RunVerdict };

export interface MutantRunPoolOptions {
  /** RUNBOOK_DATA_DIR of the worker's handlers. */
  readonly dataDir: string;
  /** Added to a job's bound before the thread is terminated. */
  readonly graceMs: number;
  /** V8 heap limit of the thread, so a runaway allocation kills the thread, not the test. */
  readonly maxHeapMb: number;
}

const WORKER_URL = new URL('./mutant-run-worker.mjs', import.meta.url);

export class MutantRunPool {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private listener: ((message: WorkerMessage) => void) | undefined;
  private onDeath: ((why: string) => void) | undefined;
  /** How many threads were started (1 + restarts after hangs and crashes). */
  threads = 0;

  constructor(private readonly options: MutantRunPoolOptions) {}

  private start(): Promise<void> {
    const worker = new Worker(WORKER_URL, {
      env: { ...process.env, RUNBOOK_DATA_DIR: this.options.dataDir },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
      stdout: true,
      stderr: true,
    });
    this.threads += 1;
    this.worker = worker;
    // Handlers and the runtime may log; the test output stays clean.
    worker.stdout.resume();
    worker.stderr.resume();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => (message.type === 'ready' ? resolve() : this.listener?.(message)));
      const died = (why: string): void => {
        if (this.worker === worker) this.worker = this.ready = undefined;
        reject(new Error(`the mutant-run thread died before it was ready: ${why}`));
        this.onDeath?.(why);
      };
      worker.on('error', (error) => died(`${error.name}: ${error.message}`));
      worker.on('exit', (code) => died(`exit ${code}`));
    });
    ready.catch(() => undefined); // awaited by run(); a death after close() is nobody's business
    this.ready = ready;
    return ready;
  }

  /** Runs one mutant; never throws for anything the run does. */
  async run(job: MutantJob): Promise<RunVerdict> {
    try {
      await (this.ready ?? this.start());
    } catch (error) {
      return { kind: 'crash', detail: error instanceof Error ? error.message : String(error) };
    }
    const worker = this.worker!;
    return new Promise<RunVerdict>((resolve) => {
      const finish = (verdict: RunVerdict): void => {
        clearTimeout(timer);
        this.listener = this.onDeath = undefined;
        resolve(verdict);
      };
      const timer = setTimeout(() => {
        this.onDeath = undefined;
        void this.stopThread(worker);
        finish({ kind: 'hang', detail: `no verdict within ${job.boundMs + this.options.graceMs} ms (the thread was terminated)` });
      }, job.boundMs + this.options.graceMs);
      this.listener = (message) => {
        if (message.type === 'done' && message.index === job.index) finish(message.verdict);
      };
      this.onDeath = (why) => finish({ kind: 'crash', detail: `the thread died: ${why}` });
      worker.postMessage(job);
    });
  }

  private async stopThread(worker: Worker): Promise<void> {
    if (this.worker === worker) this.worker = this.ready = undefined;
    await worker.terminate();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = this.ready = undefined;
    this.listener = this.onDeath = undefined;
    if (worker) await worker.terminate();
  }
}
