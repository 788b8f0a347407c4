/**
 * What a run waits for, composed from the features: the display-hint component registered for
 * the hint's type (act), else the generic review (act) or the signal form (signals).
 */
import { GenericReview, hintComponentFor, hintObjectOf } from '../features/act/index.ts';
import { SignalForm } from '../features/signals/index.ts';
import type { PendingAction, RunPageResponse } from '../shared/api/index.ts';

export function PendingSlot({ page, pending }: { readonly page: RunPageResponse; readonly pending: PendingAction }) {
  const runId = page.state.run_id;
  const Hint = hintComponentFor(pending);
  if (Hint) return <Hint runId={runId} page={page} pending={pending} hint={hintObjectOf(pending.display_hint)} />;
  if (pending.kind === 'review') return <GenericReview runId={runId} page={page} pending={pending} hint={hintObjectOf(pending.display_hint)} />;
  return <SignalForm runId={runId} page={page} pending={pending} />;
}

/** The run page's `renderPending`. */
export const renderPending = (page: RunPageResponse, pending: PendingAction) => <PendingSlot page={page} pending={pending} />;
