/**
 * The committed-document routes' contract (types only; the console app imports it with `import type`).
 * Both need the `viewer` role, like run pages:
 *
 * - `GET /api/runs/:id/documents`: what the run committed, in commit order (a RunDocumentsResponse);
 *   a run without commits answers `documents: []`, an unknown run 404 `RUN_NOT_FOUND`.
 * - `GET /api/documents/:name/versions?key.<field>=<value>&...`: every version of one key, oldest
 *   first, each with its changes from the one before (a DocumentVersionsResponse). 400
 *   `DOCUMENT_NAME_INVALID` (not lower_snake_case), 400 `DOCUMENT_KEY_INVALID` (no key, a parameter
 *   that is not `key.<field>`, a repeated field, or fields the document is not keyed by), 404
 *   `DOCUMENT_UNKNOWN` (nothing was ever committed under the name), 404 `DOCUMENT_KEY_NOT_FOUND`.
 *
 * Either answers 503 `DOCUMENTS_UNAVAILABLE` when the console has no document store, 503
 * `DOCUMENT_STORE_FAILED` when its store cannot be opened or does not answer (the console's log says why).
 */

/** A key field's value (documents are keyed by scalars, e.g. entity and period). */
export type DocumentKeyValue = string | number | boolean;

/** One stored version of a document, as the console shows it. */
export interface DocumentVersionView {
  readonly document: string;
  readonly key: Readonly<Record<string, DocumentKeyValue>>;
  /** 1 for the first commit of the key, then 2, 3, ... */
  readonly version: number;
  readonly value: unknown;
  /** ISO 8601, the committing run's clock. */
  readonly committed_at: string;
  readonly run_id: string;
  /** The slug of the runbook that committed it. */
  readonly runbook: string;
  /** The `commit` step's id, and its iteration (a step run again after a go-back commits again). */
  readonly step: string;
  readonly iteration: number;
  /** The actor of the last review decision before the commit; null when no review (or nobody named) came first. */
  readonly actor: string | null;
  /** The definition the committing run was pinned to. */
  readonly definition_hash: string;
}

/** One field that differs between a version and the one before it. */
export interface DocumentChange {
  /** Where in the value: `totals.debit`, `lines[2].credit`; `""` for the value as a whole. */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Absent for `added`. */
  readonly before?: unknown;
  /** Absent for `removed`. */
  readonly after?: unknown;
}

/** A run's committed document: the version it stored, and how many versions its key has now. */
export interface RunCommittedDocument extends DocumentVersionView {
  /** Versions of this key now (greater than `version` when a later commit superseded this one). */
  readonly versions: number;
}

/** `GET /api/runs/:id/documents` */
export interface RunDocumentsResponse {
  readonly run_id: string;
  /** In commit order. */
  readonly documents: readonly RunCommittedDocument[];
}

export interface DocumentVersionWithChanges extends DocumentVersionView {
  /** What differs from the version before; null for version 1. */
  readonly changes: readonly DocumentChange[] | null;
  /** More changes than listed (the list stops at 50). */
  readonly changes_truncated: boolean;
}

/** `GET /api/documents/:name/versions?key.<field>=<value>...` */
export interface DocumentVersionsResponse {
  readonly document: string;
  /** The key as stored (its values typed as committed). */
  readonly key: Readonly<Record<string, DocumentKeyValue>>;
  /** Oldest first. */
  readonly versions: readonly DocumentVersionWithChanges[];
}
