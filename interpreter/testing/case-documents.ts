/**
 * Committed documents of test cases: every case gets a store of its own (in memory), seeded from its
 * `documents:` before the run and read back for `expect.documents`, so cases never see each other's
 * commits whatever their order or concurrency. In-process each case's LocalRuntime gets its store; on
 * Temporal one worker serves every case, so its store routes each call to the case of the run (a child's
 * run id starts with its root's: `root/step/0`). Node side.
 */
import { canonicalKey, type DocumentStore } from '../documents/document-store.ts';
import { openSqliteDocumentStore, type SeedableDocumentStore } from '../documents/sqlite-document-store.ts';
import type { CommittedDocument, DocumentCommit, DocumentQuery, KeyValue } from '../core/document-types.ts';
import type { DocumentSeed } from './case-format.ts';
import { rootRunId } from './mock-handlers.ts';

/** When a seed gives no time: a fixed instant, so a case's expectations do not depend on the clock. */
const SEED_TIME = '2000-01-01T00:00:00.000Z';

/** One case's store, and what its run committed (each commit once: a retried or replayed commit returns its first version). */
class CaseStore implements DocumentStore {
  readonly description = 'in memory (SQLite), one per test case';
  private readonly seen = new Map<string, CommittedDocument>();

  constructor(private readonly store: SeedableDocumentStore) {}

  async commit(entry: DocumentCommit): Promise<CommittedDocument> {
    const stored = await this.store.commit(entry);
    this.seen.set(`${stored.document}\u0000${canonicalKey(stored.key)}\u0000${stored.version}`, stored);
    return stored;
  }

  find(query: DocumentQuery): Promise<CommittedDocument | null> {
    return this.store.find(query);
  }

  versions(document: string, key: Readonly<Record<string, KeyValue>>): Promise<CommittedDocument[]> {
    return this.store.versions(document, key);
  }

  committedBy(runId: string): Promise<CommittedDocument[]> {
    return this.store.committedBy(runId);
  }

  /** What the case's run (and its children) committed, in commit order; seeds excluded. */
  committed(): readonly CommittedDocument[] {
    return [...this.seen.values()];
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

export interface AttachedDocuments {
  /** The case's own store (given to its LocalRuntime in-process). */
  readonly store: DocumentStore;
  /** What the run committed so far, in commit order (seeds excluded). */
  committed(): readonly CommittedDocument[];
  /** Forgets the case and closes its store. */
  detach(): Promise<void>;
}

/** The document stores of a TestRuntime's cases, by root run id (like MockedHandlers). */
export class CaseDocuments {
  private readonly cases = new Map<string, CaseStore>();
  /** Cases that ended: a late call for one of their runs is a bug worth saying. */
  private readonly ended = new Set<string>();
  /** Runs started on the runtime outside any case (tests of the runtime itself) share one store. */
  private outside?: Promise<DocumentStore>;

  /** A new store for run `runId` (and its children), holding `seeds`. */
  async attach(runId: string, seeds: readonly DocumentSeed[]): Promise<AttachedDocuments> {
    const inner = await openSqliteDocumentStore(':memory:');
    try {
      for (const [index, seed] of seeds.entries()) {
        const entry: DocumentCommit = {
          document: seed.document,
          key: seed.key,
          value: seed.value ?? null,
          run_id: 'seed',
          execution_id: `seed-${index}`,
          step_id: 'seed',
          iteration: index,
          runbook: seed.runbook ?? 'seed',
          definition_hash: 'seed',
          actor: null,
          committed_at: seed.committed_at ?? SEED_TIME,
        };
        await inner.seed(entry, seed.version);
      }
    } catch (error) {
      await inner.close();
      throw error;
    }
    const store = new CaseStore(inner);
    this.cases.set(runId, store);
    return {
      store,
      committed: () => store.committed(),
      detach: async () => {
        if (this.cases.get(runId) === store) this.cases.delete(runId);
        this.ended.add(runId);
        await store.close();
      },
    };
  }

  /** The store of the case run `runId` belongs to; for a run of no case, the store runs outside cases share. */
  storeOf(runId: string): DocumentStore {
    const root = rootRunId(runId);
    const store = this.cases.get(root);
    if (store) return store;
    if (this.ended.has(root)) throw new Error(`TEST_DOCUMENTS_UNROUTED: run ${runId} belongs to a test case that has ended`);
    return this.outsideCases();
  }

  private outsideCases(): DocumentStore {
    const open = (): Promise<DocumentStore> => (this.outside ??= openSqliteDocumentStore(':memory:'));
    return {
      description: 'in memory (SQLite), shared by runs outside test cases',
      commit: async (entry) => (await open()).commit(entry),
      find: async (query) => (await open()).find(query),
      versions: async (document, key) => (await open()).versions(document, key),
      committedBy: async (runId) => (await open()).committedBy(runId),
      close: () => Promise.resolve(),
    };
  }

  /**
   * One store for a worker serving every case: each call goes to the store of the run that makes it, named by
   * `currentRunId()` (on Temporal the activity's workflow id); a commit names its run itself.
   */
  router(currentRunId: () => string): DocumentStore {
    return {
      description: 'in memory (SQLite), one per test case',
      commit: (entry) => this.storeOf(entry.run_id).commit(entry),
      find: (query) => this.storeOf(currentRunId()).find(query),
      versions: (document, key) => this.storeOf(currentRunId()).versions(document, key),
      committedBy: (runId) => this.storeOf(runId).committedBy(runId),
      close: () => Promise.resolve(),
    };
  }
}
