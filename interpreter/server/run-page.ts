/**
 * A run page for one person: the state, the pinned definition, what they may do now (their roles
 * and the pending review's separation of duties; an agent's question is acted on like a review)
 * and the pending review's corrections schema. Pure.
 */
import type { PendingAction, Runbook, UiState } from '../index.ts';
import type { Role, RunPageResponse } from './console-api.ts';
import type { RunView } from './console-backend.ts';

const ENDED = new Set<UiState['status']>(['completed', 'failed', 'cancelled']);

export function runHasEnded(state: UiState): boolean {
  return ENDED.has(state.status);
}

/** Why `actor` may not act on `pending` under its separation of duties, or null. */
export function exclusionOf(pending: PendingAction, actor: string): string | null {
  const excluded = (pending.excluded_actors ?? []).find((entry) => entry.actor === actor);
  return excluded ? `separation of duties: ${actor} ${excluded.because} and may not act on this review` : null;
}

/** The corrections JSON Schema of the review `stepId` in `definition`, if it declares one. */
export function correctionsSchemaOf(definition: Runbook | null, stepId: string | undefined): object | null {
  if (!definition || !stepId) return null;
  const step = definition.steps.find((candidate) => candidate.id === stepId);
  if (!step || !('review' in step)) return null;
  const corrections: unknown = step.review.corrections;
  return corrections !== null && typeof corrections === 'object' && !Array.isArray(corrections) ? corrections : null;
}

export function runPageOf(view: RunView, person: { readonly id: string }, roles: readonly Role[]): RunPageResponse {
  const { state, definition } = view;
  const operator = roles.includes('operator');
  const live = !runHasEnded(state);
  const pending = live ? state.pending_action : null;
  const review = pending?.kind === 'review' ? pending : null;
  // A review's decision or the answer to an agent's question: the operator role and the pending action's separation of duties.
  const actable = review ?? (pending?.kind === 'agent' ? pending : null);
  let blocked: string | null = null;
  if (actable) {
    if (!operator) blocked = 'acting needs the operator role';
    else blocked = exclusionOf(actable, person.id);
  }
  return {
    state,
    definition,
    can: {
      act: actable !== null && blocked === null,
      signal: operator && live,
      cancel: operator && live,
      act_blocked_reason: blocked,
    },
    corrections_schema: correctionsSchemaOf(definition, review?.step),
  };
}
