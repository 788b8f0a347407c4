/**
 * What the console server needs from a runtime: one interface, two implementations
 * (./local-backend.ts hosts runs in the console process, ./temporal-backend.ts reads and acts on
 * runs on Temporal). The server never sees which one beyond `runtime`, so every route behaves
 * the same on both.
 */
import type { InboxEntry, Runbook, RunStatus, UiState, UserAction } from '../index.ts';
import type { RunListItem } from './console-api.ts';

/** A runbook the console can start, with what the start form prefills. */
export interface CatalogEntry {
  readonly runbook: Runbook;
  /** The runbook file's `<slug>.input.json` sibling, if any. */
  readonly sampleInput: unknown;
}

export interface RunListQuery {
  readonly status?: RunStatus;
  readonly runbook?: string;
  /** At most this many, newest first. */
  readonly limit: number;
}

/** A run as its page shows it: the live state and the definition it is pinned to (null when unknown). */
export interface RunView {
  readonly state: UiState;
  readonly definition: Runbook | null;
}

export interface ConsoleBackend {
  /** Where runs live; the label tells people what that means (in-process runs end with the console). */
  readonly runtime: { readonly kind: 'temporal' | 'in-process'; readonly label: string };
  /** The runbooks people may start, sorted by slug. */
  runbooks(): Promise<readonly CatalogEntry[]>;
  /** Every run waiting on a person now. */
  inbox(): Promise<readonly InboxEntry[]>;
  listRuns(query: RunListQuery): Promise<readonly RunListItem[]>;
  /** Throws RunNotFoundError (or an ApiFailure 404) for an unknown id. */
  getRun(runId: string): Promise<RunView>;
  /**
   * The run's state once its version is greater than `since` (at once if it already is; the final
   * state once the run has ended), or null when `signal` aborts first.
   */
  watch(runId: string, since: number, signal: AbortSignal): Promise<UiState | null>;
  /** Starts a run; `startedBy` is the signed-in person. Returns the run id. */
  start(slug: string, input: unknown, startedBy: string): Promise<string>;
  act(runId: string, action: UserAction): Promise<void>;
  signal(runId: string, name: string, payload: unknown): Promise<void>;
  cancel(runId: string): Promise<void>;
  /**
   * Calls the project's handler `handler` (an upload step's `display_hint.store_with`) with the file,
   * returning its result; ApiFailure when no such handler is loaded or it refuses the file.
   */
  storeFile(handler: string, file: { readonly filename: string; readonly content: Buffer }, runId: string): Promise<Readonly<Record<string, unknown>>>;
  /** Stops what the backend holds (in-process runs, connections). */
  close(): Promise<void>;
}
