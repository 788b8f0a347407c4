/** A run's or a step's status as a labelled badge (colour is never the only signal: the word is there). */
import type { RunStatus, StepStatus } from '../api/index.ts';

type Status = RunStatus | StepStatus | 'interrupted';

export function StatusBadge({ status, testId }: { readonly status: Status; readonly testId?: string }) {
  return (
    <span className={`badge badge-${status}`} data-testid={testId} data-status={status}>
      {status}
    </span>
  );
}
