/**
 * A real `runbook worker` process (bin/runbook.js, the compiled lib/), for fault tests that
 * SIGKILL it or take its server away. Every worker started here is SIGKILLed when this
 * process exits, so a failed test leaves none behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ROOT } from './run-cli.ts';

export interface CliWorkerOptions {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly runbooksDir: string;
  /** A handlers directory or entry file (default the repository's handlers/). */
  readonly handlers?: string;
  /** RUNBOOK_DATA_DIR of the example handlers. */
  readonly dataDir: string;
  /** The worker's state file (what it serves), kept out of the repository. */
  readonly stateFile: string;
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** More `runbook worker` flags. */
  readonly args?: readonly string[];
}

export interface CliWorker {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves once the worker printed its `runbook worker: ...` banner (it polls). */
  ready(timeoutMs: number): Promise<void>;
  /** Whether the process is still running. */
  alive(): boolean;
  /** The last output (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends `signal` (default SIGKILL) unless it has exited; resolves once it has. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const live = new Set<ChildProcess>();
let hookInstalled = false;

function installExitHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** Spawns `runbook worker` against `options.address`; call `kill()` (or rely on the exit hook). */
export function startCliWorker(options: CliWorkerOptions): CliWorker {
  installExitHook();
  const child = spawn(
    process.execPath,
    [BIN, 'worker', '--runbooks', options.runbooksDir, '--handlers', options.handlers ?? `${ROOT}/handlers`, '--task-queue', options.taskQueue, '--state-file', options.stateFile, ...(options.args ?? [])],
    {
      cwd: options.cwd,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: options.address,
        TEMPORAL_NAMESPACE: options.namespace,
        RUNBOOK_DATA_DIR: options.dataDir,
        TEMPORAL_LOG_LEVEL: 'ERROR',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  live.add(child);
  let text = '';
  const onData = (chunk: Buffer): void => void (text = (text + chunk.toString()).slice(-8_000));
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
  });
  void exited.then(() => live.delete(child));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid ?? -1,
    alive,
    output: () => text,
    ready(timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`worker ${child.pid} not ready within ${timeoutMs} ms:\n${text}`)), timeoutMs);
        const check = (): void => {
          if (/^runbook worker: /m.test(text)) finish();
        };
        const finish = (error?: Error): void => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          if (error) reject(error);
          else resolve();
        };
        child.stdout!.on('data', check);
        void exited.then(() => finish(new Error(`worker ${child.pid} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${text}`)));
        check();
      });
    },
    async kill(signal = 'SIGKILL') {
      if (alive()) child.kill(signal);
      await exited;
    },
  };
}
