/**
 * What `runbook worker` serves: a watching DefinitionStore over the runbooks directory that
 * logs every load and rejection and keeps the state file current. Node side.
 *
 * @example
 * const defs = await createWorkerDefinitions('runbooks', console, { handlers });
 * const worker = await createInterpreterWorker({ ..., definitions: defs.store });
 * await worker.run();
 * await defs.close();
 */
import type { HandlerRegistry } from '../handlers/index.ts';
import type { AgentNames } from '../loader/checks/index.ts';
import { DefinitionStore } from './definition-store.ts';
import { currentWriter, defaultStateFile, isStateFilePath, stateJson, writeStateFile, type StateWriter } from './state-file.ts';
import type { StoreLogger } from './types.ts';

export interface WorkerDefinitionsOptions {
  readonly handlers?: HandlerRegistry | null;
  readonly handlersDir?: string;
  /** Agents to check agent steps against (hot-loaded files naming an unknown agent are refused). */
  readonly agents?: AgentNames;
  /** Default `worker-definitions.json` in the project's state directory (`.runbook/`); `false` writes none. */
  readonly stateFile?: string | false;
  readonly settleMs?: number;
  /** Recorded in the state file. */
  readonly taskQueue?: string;
  readonly namespace?: string;
  /** Write nothing until `publish()` (a worker publishes once it has reached its server). */
  readonly deferStateFile?: boolean;
}

export interface WorkerDefinitions {
  readonly store: DefinitionStore;
  readonly stateFile?: string;
  /** Resolves when the latest state is on disk. */
  flushed(): Promise<void>;
  /** Starts keeping the state file current (at once unless `deferStateFile`). */
  publish(): Promise<void>;
  /** Stops watching and marks the state file as written by a stopped worker. */
  close(): Promise<void>;
}

export async function createWorkerDefinitions(dir: string, log: StoreLogger, options: WorkerDefinitionsOptions = {}): Promise<WorkerDefinitions> {
  const stateFile = options.stateFile === false ? undefined : (options.stateFile ?? defaultStateFile());
  const store = await DefinitionStore.open({
    dir,
    log,
    ...(options.handlers !== undefined ? { handlers: options.handlers } : {}),
    ...(options.handlersDir ? { handlersDir: options.handlersDir } : {}),
    ...(options.agents ? { agents: options.agents } : {}),
    ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
    ...(stateFile ? { ignore: (path: string) => isStateFilePath(stateFile, path) } : {}),
  });
  const writer: StateWriter = currentWriter({ taskQueue: options.taskQueue, namespace: options.namespace });
  let writing: Promise<void> = Promise.resolve();
  let queued = false;
  let failedOnce = false;
  let published = !options.deferStateFile;
  const write = (stopped = false): Promise<void> => {
    if (!stateFile || !published) return Promise.resolve();
    writing = writing.then(async () => {
      queued = false;
      const who = stopped ? { ...writer, stopped_at: new Date().toISOString() } : writer;
      try {
        await writeStateFile(stateFile, stateJson(store.snapshot(), who));
      } catch (error) {
        if (!failedOnce) log.warn(`definitions: cannot write the state file ${stateFile}: ${error instanceof Error ? error.message : String(error)}`);
        failedOnce = true;
      }
    });
    return writing;
  };
  // One write per burst of events from one swap.
  store.onChange(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => void write());
  });
  await write();
  const slugs = store.slugs();
  log.info(`definitions: serving ${slugs.length} runbook(s) from ${dir}${slugs.length ? `: ${slugs.join(', ')}` : ''}; watching for changes${stateFile ? ` (state in ${stateFile})` : ''}`);
  return {
    store,
    ...(stateFile ? { stateFile } : {}),
    flushed: () => writing,
    publish() {
      published = true;
      return write();
    },
    async close() {
      await store.close();
      await write(true);
    },
  };
}
