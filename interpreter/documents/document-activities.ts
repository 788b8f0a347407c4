/**
 * The document store as two activities (commit, previous): registered by the Temporal worker and used
 * as built-ins by the in-process runtime, so both runtimes call the store the same way, with the same
 * retries. Node side.
 */
import { DOCUMENT_ACTIVITY, commitResultOf, previousResultOf, type CommitResult, type DocumentCommit, type DocumentQuery, type PreviousResult } from '../core/document-types.ts';
import type { DocumentStore } from './document-store.ts';

export type DocumentActivity = (args: unknown) => Promise<unknown>;

/**
 * `store` is opened on first use (a process that runs no document step never loads the database driver).
 *
 * @example
 * const activities = documentActivities(() => openDocumentStore({ stateDir }));
 */
export function documentActivities(store: () => Promise<DocumentStore>): Record<string, DocumentActivity> {
  let opened: Promise<DocumentStore> | undefined;
  const get = (): Promise<DocumentStore> => {
    opened ??= store().catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };
  return {
    // The core built these arguments from a validated step; they are data the workflow recorded.
    [DOCUMENT_ACTIVITY.commit]: async (args: unknown): Promise<CommitResult> => commitResultOf(await (await get()).commit(args as DocumentCommit)),
    [DOCUMENT_ACTIVITY.previous]: async (args: unknown): Promise<PreviousResult> => previousResultOf(await (await get()).find(args as DocumentQuery)),
  };
}
