/**
 * The Temporal backend: runs on a Temporal cluster, listed through visibility (the inbox is one
 * query over the search attributes the interpreter upserts), read with the `current_ui_state`
 * query, acted on with the validated Updates. The console holds the connection; the browser never
 * sees an address or a credential. Stateless: any number of console replicas can serve one cluster.
 */
import { isGrpcServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { HandlerRegistry, InboxEntry, RunStatus, UiState, UserAction } from '../index.ts';
import type { TemporalRunClient, TemporalRunSummary } from '../temporal/index.ts';
import { ApiFailure, notFound } from './api-failure.ts';
import type { RunListItem } from './console-api.ts';
import type { CatalogEntry, ConsoleBackend, RunListQuery, RunView } from './console-backend.ts';
import { runHasEnded } from './run-page.ts';
import { sortedCatalog } from './runbook-catalog.ts';
import { SharedWaits } from './shared-waits.ts';
import { storeWithHandler, type UploadedFile } from './store-file.ts';

export interface TemporalBackendOptions {
  readonly client: TemporalRunClient;
  /** The runbooks the console offers (the project's, as the workers serve them); a function is asked on every use (hot-loaded definitions). */
  readonly catalog: Iterable<CatalogEntry> | (() => Iterable<CatalogEntry>);
  readonly handlers?: HandlerRegistry;
  /** Shown to people: where the runs live (no address, no credential). */
  readonly namespace: string;
  /** Closes what the backend holds (the connection), when the server closes. */
  readonly onClose?: () => Promise<void>;
  /** How long an inbox answer is reused as is, and answered while refreshed in the background (default 250 ms, 2 s). */
  readonly inboxMs?: { readonly reuse: number; readonly stale: number };
  /** Polling of a watched run: first interval and the longest (default 100 ms → 1 s). */
  readonly pollMs?: { readonly first: number; readonly max: number };
}

const INBOX_MS = { reuse: 250, stale: 2_000 } as const;

/** Visibility filters for a run status (RunbookStatus tells waiting from running while Temporal says Running). */
const STATUS_QUERIES: Record<RunStatus, string> = {
  running: `ExecutionStatus = 'Running' AND RunbookStatus != 'waiting'`,
  waiting: `ExecutionStatus = 'Running' AND RunbookStatus = 'waiting'`,
  completed: `ExecutionStatus = 'Completed'`,
  failed: `ExecutionStatus IN ('Failed', 'TimedOut')`,
  cancelled: `ExecutionStatus IN ('Canceled', 'Terminated')`,
};

/** Temporal's errors a person can cause or should be told about, as ApiFailures. */
function temporalFailureOf(error: unknown, runId?: string): unknown {
  if (error instanceof WorkflowNotFoundError) return notFound(runId ?? error.workflowId ?? '?');
  if (error instanceof WorkflowExecutionAlreadyStartedError) return new ApiFailure(409, 'RUN_EXISTS', `a run with id "${error.workflowId}" exists`);
  const grpc = isGrpcServiceError(error) ? error : error instanceof Error && isGrpcServiceError(error.cause) ? error.cause : undefined;
  if (grpc && (grpc.code === 14 || grpc.code === 4)) return new ApiFailure(503, 'TEMPORAL_UNAVAILABLE', 'the Temporal server does not answer; try again in a moment');
  if (grpc && grpc.code === 5) return notFound(runId ?? '?');
  return error;
}

async function mapped<T>(body: () => Promise<T>, runId?: string): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw temporalFailureOf(error, runId);
  }
}

/** Waits `ms`, or less when `stop` aborts or `nudge` fires; resolves whether it was nudged. */
function sleep(ms: number, stop: AbortSignal, nudges: Set<() => void>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), ms);
    const onAbort = (): void => done(false);
    const onNudge = (): void => done(true);
    function done(nudged: boolean): void {
      clearTimeout(timer);
      stop.removeEventListener('abort', onAbort);
      nudges.delete(onNudge);
      resolve(nudged);
    }
    stop.addEventListener('abort', onAbort, { once: true });
    nudges.add(onNudge);
  });
}

/** A run some page watches: how many polls, the actions this console took on it, the polls asleep. */
interface WatchedRun {
  polls: number;
  actions: number;
  readonly sleepers: Set<() => void>;
}

export class TemporalBackend implements ConsoleBackend {
  readonly runtime: ConsoleBackend['runtime'];
  private readonly fixedCatalog: CatalogEntry[] | undefined;
  private readonly waits = new SharedWaits<UiState>();
  /** The polls of each watched run: woken (and back to the short interval) when this console acts on it. */
  private readonly watched = new Map<string, WatchedRun>();
  private inboxSnapshot: { readonly at: number; readonly entries: readonly InboxEntry[] } | undefined;
  private inboxQuery: Promise<readonly InboxEntry[]> | undefined;

  constructor(private readonly options: TemporalBackendOptions) {
    this.fixedCatalog = typeof options.catalog === 'function' ? undefined : sortedCatalog(options.catalog);
    this.runtime = { kind: 'temporal', label: `Temporal, namespace ${options.namespace}: runs are durable and outlive this console` };
  }

  private get catalog(): CatalogEntry[] {
    const { catalog } = this.options;
    return this.fixedCatalog ?? sortedCatalog(typeof catalog === 'function' ? catalog() : catalog);
  }

  private titleOf(slug: string | null): string {
    return this.catalog.find((entry) => entry.runbook.slug === slug)?.runbook.title ?? slug ?? '?';
  }

  async runbooks(): Promise<readonly CatalogEntry[]> {
    return this.catalog;
  }

  /**
   * The inbox from one visibility query, shared: every request within `inboxMs.reuse` of the last answer
   * gets it as is; up to `inboxMs.stale` it is answered at once while one query refreshes it in the
   * background (visibility itself lags a second or so behind the runs). Fifty people on the inbox cost one
   * query per interval, not fifty. This console's own actions drop the snapshot.
   */
  inbox(): Promise<readonly InboxEntry[]> {
    const { reuse, stale } = this.options.inboxMs ?? INBOX_MS;
    const snapshot = this.inboxSnapshot;
    const age = snapshot ? Date.now() - snapshot.at : Infinity;
    if (snapshot && age < reuse) return Promise.resolve(snapshot.entries);
    const refreshing = this.refreshInbox();
    if (snapshot && age < stale) {
      refreshing.catch(() => undefined); // a failed background refresh shows on the next request
      return Promise.resolve(snapshot.entries);
    }
    return refreshing;
  }

  private refreshInbox(): Promise<readonly InboxEntry[]> {
    this.inboxQuery ??= mapped(() => this.options.client.listInbox())
      .then((entries) => {
        this.inboxSnapshot = { at: Date.now(), entries };
        return entries;
      })
      .finally(() => {
        this.inboxQuery = undefined;
      });
    return this.inboxQuery;
  }

  async listRuns(query: RunListQuery): Promise<readonly RunListItem[]> {
    const runs = await mapped(() =>
      this.options.client.listRuns({ limit: query.limit, ...(query.runbook ? { runbook: query.runbook } : {}), ...(query.status ? { query: STATUS_QUERIES[query.status] } : {}) }),
    );
    return runs.map((run: TemporalRunSummary) => ({
      run_id: run.run_id,
      runbook: run.runbook ?? '?',
      title: this.titleOf(run.runbook),
      status: run.status,
      step: run.step,
      started_at: run.started_at,
      closed_at: run.closed_at,
      identity: {},
      parent_run_id: run.parent_run_id,
    }));
  }

  private state(runId: string): Promise<UiState> {
    return mapped(() => this.options.client.get(runId).currentUiState(), runId);
  }

  async getRun(runId: string): Promise<RunView> {
    const state = await this.state(runId);
    // The definition as the console loaded it; a run pinned to an older one shows its state all the same.
    const definition = this.catalog.find((entry) => entry.runbook.slug === state.runbook)?.runbook ?? null;
    return { state, definition };
  }

  /**
   * Polls the state query until a newer version, the run's end, or nobody watches: at `first`,
   * backing off while nothing changes, and again at once (then at `first`) right after this console
   * acted on the run, so the page shows the next step as soon as the worker has taken it.
   */
  watch(runId: string, since: number, signal: AbortSignal): Promise<UiState | null> {
    const poll = this.options.pollMs ?? { first: 100, max: 1_000 };
    return this.waits.wait(
      `${runId}@${since}`,
      async (stop) => {
        let run = this.watched.get(runId);
        if (!run) this.watched.set(runId, (run = { polls: 0, actions: 0, sleepers: new Set() }));
        const watched = run;
        watched.polls += 1;
        try {
          for (let wait = poll.first; !stop.aborted; ) {
            const actions = watched.actions;
            const state = await this.state(runId);
            if (state.version > since || runHasEnded(state)) return state;
            // An action while the query was under way: look again at once.
            if (watched.actions !== actions) {
              wait = poll.first;
              continue;
            }
            const nudged = await sleep(wait, stop, watched.sleepers);
            wait = nudged ? poll.first : Math.min(poll.max, wait * 1.5);
          }
          return null;
        } finally {
          watched.polls -= 1;
          if (watched.polls === 0 && this.watched.get(runId) === watched) this.watched.delete(runId);
        }
      },
      signal,
    );
  }

  /** Wakes the polls of `runId` after an action of this console: its effect shows within one query. */
  private nudge(runId: string): void {
    this.inboxSnapshot = undefined;
    const watched = this.watched.get(runId);
    if (!watched) return;
    watched.actions += 1;
    for (const wake of [...watched.sleepers]) wake();
  }

  async start(slug: string, input: unknown, startedBy: string): Promise<string> {
    if (this.catalog.length > 0 && !this.catalog.some((entry) => entry.runbook.slug === slug)) {
      throw new ApiFailure(404, 'RUNBOOK_UNKNOWN', `no runbook "${slug}" (known: ${this.catalog.map((entry) => entry.runbook.slug).join(', ')})`);
    }
    // Checked: an invalid input is refused here (422), not left as a failed run.
    const definition = this.catalog.find((entry) => entry.runbook.slug === slug)?.runbook;
    const run = await mapped(() => this.options.client.startChecked(slug, input, { startedBy, ...(definition ? { definition } : {}) }));
    return run.runId;
  }

  async act(runId: string, action: UserAction): Promise<void> {
    await mapped(() => this.options.client.get(runId).userAction(action), runId);
    this.nudge(runId);
  }

  async signal(runId: string, name: string, payload: unknown): Promise<void> {
    await mapped(() => this.options.client.get(runId).signal(name, payload), runId);
    this.nudge(runId);
  }

  async cancel(runId: string): Promise<void> {
    await mapped(() => this.options.client.get(runId).cancel(), runId);
    this.nudge(runId);
  }

  storeFile(handler: string, file: UploadedFile, runId: string): Promise<Readonly<Record<string, unknown>>> {
    return storeWithHandler(this.options.handlers, handler, file, runId);
  }

  async close(): Promise<void> {
    await this.options.onClose?.();
  }
}
