/**
 * Committed documents as the interpreter core sees them: what a `commit` step stores and what a
 * `previous` step asks for. The stores (interpreter/documents/) implement them. Sandbox-safe (types only).
 */

/** A key field's value: documents are keyed by scalars (e.g. entity and period). */
export type KeyValue = string | number | boolean;

/** What a `commit` step stores; idempotent by (execution_id, step_id, iteration). */
export interface DocumentCommit {
  readonly document: string;
  readonly key: Readonly<Record<string, KeyValue>>;
  readonly value: unknown;
  /** The run's id as people see it (the workflow id): a new run may reuse it, so it is not the idempotency key. */
  readonly run_id: string;
  /**
   * The execution of the run (RunStart.executionId): a retried or replayed commit has the same one, a new run
   * started with the same run id another. Absent in a commit scheduled before it existed: `run_id` then.
   */
  readonly execution_id?: string;
  readonly step_id: string;
  readonly iteration: number;
  readonly runbook: string;
  readonly definition_hash: string;
  /** The actor of the last review decision before the commit (null: none, or nobody named). */
  readonly actor: string | null;
  /** ISO 8601 of the run's clock when the step ran. */
  readonly committed_at: string;
}

/** One stored version of a document. */
export interface CommittedDocument extends DocumentCommit {
  /** The execution that committed it (`run_id` for commits stored before executions were recorded). */
  readonly execution_id: string;
  /** 1 for the first commit of a key, then 2, 3, ... */
  readonly version: number;
}

/** What a `previous` step looks for: the latest document matching `where`, optionally before a key value, optionally one version. */
export interface DocumentQuery {
  readonly document: string;
  readonly where: Readonly<Record<string, KeyValue>>;
  /** The document whose `field` is the greatest that sorts before `value` (same type only: strings by code point, numbers numerically). */
  readonly before?: { readonly field: string; readonly value: KeyValue };
  readonly version?: number;
}

/** A `previous` step's result. */
export type PreviousResult =
  | {
      readonly found: true;
      readonly key: Readonly<Record<string, KeyValue>>;
      readonly value: unknown;
      readonly version: number;
      readonly committed_at: string;
      readonly run_id: string;
      readonly runbook: string;
    }
  | { readonly found: false };

/** A `commit` step's result. */
export interface CommitResult {
  readonly document: string;
  readonly key: Readonly<Record<string, KeyValue>>;
  readonly version: number;
  readonly committed_at: string;
  readonly run_id: string;
}

/** The one ordering of key values, shared by every store and the in-memory checks: same type only. */
export function sortsBefore(candidate: unknown, bound: KeyValue): boolean {
  if (typeof bound === 'number') return typeof candidate === 'number' && candidate < bound;
  if (typeof bound === 'string') return typeof candidate === 'string' && candidate < bound;
  return false;
}

export function previousResultOf(document: CommittedDocument | null): PreviousResult {
  if (!document) return { found: false };
  return { found: true, key: document.key, value: document.value, version: document.version, committed_at: document.committed_at, run_id: document.run_id, runbook: document.runbook };
}

export function commitResultOf(document: CommittedDocument): CommitResult {
  return { document: document.document, key: document.key, version: document.version, committed_at: document.committed_at, run_id: document.run_id };
}

/**
 * The activity names of the document store (on Temporal: activity types the worker registers; in-process:
 * built-ins of the local runtime). `$` keeps them apart from every handler name the format allows.
 */
export const DOCUMENT_ACTIVITY = {
  commit: '$documents.commit',
  previous: '$documents.previous',
} as const;

/** Failure types of the document steps. */
export const DOCUMENT_FAILURE = {
  notFound: 'PREVIOUS_NOT_FOUND',
  invalid: 'DOCUMENT_INVALID',
  keyInvalid: 'DOCUMENT_KEY_INVALID',
  store: 'DOCUMENT_STORE_FAILED',
} as const;
