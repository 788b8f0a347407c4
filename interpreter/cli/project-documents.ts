/** The committed-document store a CLI command uses: `documents.url` (PostgreSQL), else the state directory's SQLite file. Opened on first use. */
import { openDocumentStore, type DocumentStore } from '../documents/index.ts';
import type { ProjectConfig } from '../config/index.ts';

export function projectDocuments(config: ProjectConfig): () => Promise<DocumentStore> {
  const url = config.documents.url.value;
  return () => openDocumentStore(url ? { url } : { stateDir: config.stateDir.value });
}
