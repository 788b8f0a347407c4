/**
 * The diagram routes' contract (types only; the console app imports it with `import type`):
 * `GET /api/runbooks/:slug/graph` and `GET /api/runs/:id/graph` (viewer role) answer a GraphResponse.
 * Errors are `{code, message}` as everywhere: 404 `RUNBOOK_UNKNOWN`, `RUN_NOT_FOUND`, `DEFINITION_UNKNOWN`.
 */
import type { StepStatus } from '../core/run-state.ts';
import type { RunbookGraph } from '../graph/graph-model.ts';

export interface GraphResponse {
  /** The diagram model (interpreter/graph): steps, edges, children, fail ends. */
  readonly graph: RunbookGraph;
  /** The same diagram as Mermaid text (what `runbook graph SLUG` prints; for a run, styled by its statuses). */
  readonly mermaid: string;
  /** A run's step statuses by step id (its `current_steps`); absent for a runbook. */
  readonly statuses?: Readonly<Record<string, StepStatus>>;
}
