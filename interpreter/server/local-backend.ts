/**
 * The in-process backend: runs hosted by the console process itself through a LocalRuntime, for
 * `runbook console` without Temporal. Live changes come from `run.waitForChange(version)`. The
 * runs end with the process, and the runtime label says so.
 */
import { randomBytes } from 'node:crypto';
import { inboxEntryOf, type HandlerRegistry, type InboxEntry, type LocalRuntime, type UiState, type UserAction } from '../index.ts';
import type { RunListItem } from './console-api.ts';
import type { CatalogEntry, ConsoleBackend, RunListQuery, RunView } from './console-backend.ts';
import { runHasEnded } from './run-page.ts';
import { SharedWaits } from './shared-waits.ts';
import { storeWithHandler, type UploadedFile } from './store-file.ts';
import { sortedCatalog } from './runbook-catalog.ts';

export const IN_PROCESS_LABEL = 'In-process: runs live in this console process and end when it stops (use `runbook dev` for durable runs)';

export interface LocalBackendOptions {
  readonly runtime: LocalRuntime;
  /** The runbooks to offer; a function is asked each time (a hot-loading store's current set). */
  readonly catalog: Iterable<CatalogEntry> | (() => Iterable<CatalogEntry>);
  /** The project's handlers, for uploads stored by reference. */
  readonly handlers?: HandlerRegistry;
}

/** What LocalRuntime.start takes besides the run id: who started the run (older runtimes ignore it). */
interface ConsoleStartOptions {
  readonly runId: string;
  readonly startedBy: string;
}

export function listItemOf(state: UiState): RunListItem {
  return {
    run_id: state.run_id,
    runbook: state.runbook,
    title: state.title,
    status: state.status,
    step: state.current_step,
    started_at: state.started_at ?? null,
    closed_at: state.ended_at ?? null,
    identity: state.identity ?? {},
    parent_run_id: state.parent?.run_id ?? null,
  };
}

export class LocalBackend implements ConsoleBackend {
  readonly runtime = { kind: 'in-process', label: IN_PROCESS_LABEL } as const;
  private readonly fixedCatalog: CatalogEntry[] | undefined;
  private readonly waits = new SharedWaits<UiState>();

  constructor(private readonly options: LocalBackendOptions) {
    this.fixedCatalog = typeof options.catalog === 'function' ? undefined : sortedCatalog(options.catalog);
  }

  private get catalog(): CatalogEntry[] {
    const { catalog } = this.options;
    return this.fixedCatalog ?? sortedCatalog(typeof catalog === 'function' ? catalog() : catalog);
  }

  async runbooks(): Promise<readonly CatalogEntry[]> {
    return this.catalog;
  }

  private async states(): Promise<UiState[]> {
    return Promise.all(this.options.runtime.list().map((run) => run.currentUiState()));
  }

  async inbox(): Promise<readonly InboxEntry[]> {
    return (await this.states()).map(inboxEntryOf).filter((entry): entry is InboxEntry => entry !== null);
  }

  async listRuns(query: RunListQuery): Promise<readonly RunListItem[]> {
    const states = (await this.states()).reverse();
    return states
      .filter((state) => (!query.status || state.status === query.status) && (!query.runbook || state.runbook === query.runbook))
      .slice(0, query.limit)
      .map(listItemOf);
  }

  async getRun(runId: string): Promise<RunView> {
    const state = await this.options.runtime.get(runId).currentUiState();
    return { state, definition: this.options.runtime.definition(state.runbook) ?? null };
  }

  watch(runId: string, since: number, signal: AbortSignal): Promise<UiState | null> {
    const run = this.options.runtime.get(runId);
    // A local wait costs nothing while it waits (it is a listener on the run), so it is not stopped early.
    return this.waits.wait(`${runId}@${since}`, () => run.waitForChange(since), signal);
  }

  async start(slug: string, input: unknown, startedBy: string): Promise<string> {
    const options: ConsoleStartOptions = { runId: `${slug}-${randomBytes(4).toString('hex')}`, startedBy };
    return this.options.runtime.start(slug, input, options).runId;
  }

  async act(runId: string, action: UserAction): Promise<void> {
    await this.options.runtime.get(runId).userAction(action);
  }

  async signal(runId: string, name: string, payload: unknown): Promise<void> {
    await this.options.runtime.get(runId).signal(name, payload);
  }

  async cancel(runId: string): Promise<void> {
    await this.options.runtime.get(runId).cancel();
  }

  storeFile(handler: string, file: UploadedFile, runId: string): Promise<Readonly<Record<string, unknown>>> {
    return storeWithHandler(this.options.handlers, handler, file, runId);
  }

  /** Cancels the runs still going: they end with the console. */
  async close(): Promise<void> {
    const runs = this.options.runtime.list();
    const states = await Promise.all(runs.map((run) => run.currentUiState()));
    await Promise.all(runs.filter((_, index) => !runHasEnded(states[index]!)).map((run) => run.cancel().catch(() => undefined)));
  }
}
