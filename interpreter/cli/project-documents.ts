/** The committed-document store a CLI command uses: `documents.url` (PostgreSQL), else the state directory's SQLite file. Opened on first use. */
import { openDocumentStore, type DocumentStore, type ProjectConfig } from '../index.ts';

export function projectDocuments(config: ProjectConfig): () => Promise<DocumentStore> {
  const url = config.documents.url.value;
  return () => openDocumentStore(url ? { url } : { stateDir: config.stateDir.value });
}

/** One store for the whole process, shared by what it hosts (the in-process runs and the console; dev's worker and console). */
export interface SharedDocuments {
  /** Opens the store on first use (again after a failed open); every caller gets the same one. */
  readonly open: () => Promise<DocumentStore>;
  /** Closes it if it was opened. */
  close(): Promise<void>;
}

export function sharedProjectDocuments(config: ProjectConfig): SharedDocuments {
  const openStore = projectDocuments(config);
  let opened: Promise<DocumentStore> | undefined;
  return {
    open: () =>
      (opened ??= openStore().catch((error: unknown) => {
        opened = undefined;
        throw error;
      })),
    close: async () => {
      const store = opened;
      opened = undefined;
      if (store) await (await store.catch(() => undefined))?.close();
    },
  };
}
