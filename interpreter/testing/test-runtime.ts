/** What a runtime supplies to the case runner: start a case's run, with its mocks routed. */
import type { ResolvedDefinition } from '../runtime/definition-source.ts';
import type { RunHandle } from '../runtime/run-handle.ts';
import type { MockedAgents } from './mock-agents.ts';
import type { MockedHandlers } from './mock-handlers.ts';
import type { CaseDocuments } from './case-documents.ts';

export interface TestStartOptions {
  /** Who starts the run (a case's `started_by`). */
  readonly startedBy?: string;
}

export interface TestRuntime {
  /** `local` or `temporal` (shown in reports). */
  readonly name: string;
  /** The handlers every run of this runtime calls: cases attach their mocks here by run id. */
  readonly handlers: MockedHandlers;
  /** The agents every run of this runtime invokes: cases attach their agent mocks here by run id. */
  readonly agents: MockedAgents;
  /** The committed-document stores of the cases, one per case (run id): seeded before the run, read for `expect.documents`. */
  readonly documents: CaseDocuments;
  /** Starts `slug` (one of `definitions`, which also holds its children) under a caller-chosen run id, by `startedBy` when given. */
  start(definitions: readonly ResolvedDefinition[], slug: string, input: unknown, runId: string, options?: TestStartOptions): Promise<RunHandle>;
  close(): Promise<void>;
}
