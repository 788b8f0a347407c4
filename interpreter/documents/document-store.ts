/**
 * The committed-document store: one interface, two databases (SQLite embedded, PostgreSQL).
 * Both pass one contract suite (test/documents/document-store-contract.ts). Node side.
 */
import type { CommittedDocument, DocumentCommit, DocumentQuery, KeyValue } from '../core/document-types.ts';

export interface DocumentStore {
  /** Where the documents live, for one INFO line (no secrets). */
  readonly description: string;
  /**
   * Stores a new version of (document, key). Idempotent by (execution_id, step_id, iteration), `run_id` when the
   * entry has no execution: a retried or replayed commit returns the version it stored the first time, never a
   * duplicate, while a new run that reuses the run id (a new execution) commits a new version.
   */
  commit(entry: DocumentCommit): Promise<CommittedDocument>;
  /** The latest document matching the query, or null. */
  find(query: DocumentQuery): Promise<CommittedDocument | null>;
  /** Every version of one key, oldest first. */
  versions(document: string, key: Readonly<Record<string, KeyValue>>): Promise<CommittedDocument[]>;
  /** What runs with this run id committed (every execution of it: a run id may be reused), in commit order. */
  committedBy(runId: string): Promise<CommittedDocument[]>;
  close(): Promise<void>;
}

/** A key as one comparable text: fields sorted by name, so `{period, entity}` and `{entity, period}` are one key. */
export function canonicalKey(key: Readonly<Record<string, KeyValue>>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(key).sort().map((field) => [field, key[field]])));
}

/** A field name safe to put into a JSON path: the format's identifiers (lower_snake_case). */
export function checkedField(field: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(field)) throw new Error(`DOCUMENT_KEY_INVALID: key field "${field}" is not a lower_snake_case identifier`);
  return field;
}

/** A store, or how to open one on first use (a process that runs no document step never loads a driver). */
export type DocumentStoreSource = DocumentStore | (() => Promise<DocumentStore>);

export function storeOpener(source: DocumentStoreSource | undefined, fallback: () => Promise<DocumentStore>): () => Promise<DocumentStore> {
  if (source === undefined) return fallback;
  return typeof source === 'function' ? source : () => Promise.resolve(source);
}
