export type { DocumentStore, DocumentStoreSource } from './document-store.ts';
export { canonicalKey, storeOpener } from './document-store.ts';
export { openSqliteDocumentStore } from './sqlite-document-store.ts';
export { openPostgresDocumentStore, redactedUrl } from './postgres-document-store.ts';
export { openDocumentStore, DOCUMENTS_FILE_NAME, type DocumentStoreChoice } from './open-document-store.ts';
export type { CommittedDocument, DocumentCommit, DocumentQuery, KeyValue, PreviousResult, CommitResult } from '../core/document-types.ts';
export { documentActivities, type DocumentActivity } from './document-activities.ts';
