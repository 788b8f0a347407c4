/** What a display-hint component receives: the run page's state and the pending action it renders. */
import type { ComponentType } from 'react';
import type { PendingAction, RunPageResponse } from '../../shared/api/index.ts';

export interface HintComponentProps {
  readonly runId: string;
  readonly page: RunPageResponse;
  readonly pending: PendingAction;
  /** `pending.display_hint` as an object (`{}` when the hint is not one). */
  readonly hint: Readonly<Record<string, unknown>>;
}

export type HintComponent = ComponentType<HintComponentProps>;

export function hintObjectOf(displayHint: unknown): Readonly<Record<string, unknown>> {
  return typeof displayHint === 'object' && displayHint !== null && !Array.isArray(displayHint) ? (displayHint as Record<string, unknown>) : {};
}
