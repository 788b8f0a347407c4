/**
 * Which document store a process opens: PostgreSQL when the config names a URL
 * (`documents: { url: postgres://... }`), else the embedded SQLite file in the state directory. Node side.
 */
import { join } from 'node:path';
import type { DocumentStore } from './document-store.ts';
import { openPostgresDocumentStore } from './postgres-document-store.ts';
import { openSqliteDocumentStore } from './sqlite-document-store.ts';

/** The embedded store's file name in the state directory. */
export const DOCUMENTS_FILE_NAME = 'documents.sqlite';

export interface DocumentStoreChoice {
  /** A `postgres://` or `postgresql://` URL; wins over the state directory. */
  readonly url?: string;
  /** The project's state directory (the embedded store lives here). */
  readonly stateDir?: string;
}

export function openDocumentStore(choice: DocumentStoreChoice): Promise<DocumentStore> {
  if (choice.url) return openPostgresDocumentStore(choice.url);
  if (choice.stateDir) return openSqliteDocumentStore(join(choice.stateDir, DOCUMENTS_FILE_NAME));
  return openSqliteDocumentStore(':memory:');
}
