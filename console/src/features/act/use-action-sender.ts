/**
 * Sending a decision on a review: the comment, the outcome in flight, and the server's rejection
 * (`{code, message}`) kept beside the form, which keeps what was typed.
 */
import { useState } from 'react';
import { api, apiErrorOf, type ApiError, type PendingAction, type ReviewOutcome } from '../../shared/api/index.ts';

export interface ActionSender {
  readonly comment: string;
  readonly setComment: (comment: string) => void;
  readonly busy: ReviewOutcome | null;
  readonly error: ApiError | null;
  readonly setError: (error: ApiError | null) => void;
  readonly done: ReviewOutcome | null;
  /** Sends the outcome (with corrections for `corrected`); resolves true when the server took it. */
  readonly send: (outcome: ReviewOutcome, corrections?: unknown) => Promise<boolean>;
}

export function useActionSender(runId: string, pending: PendingAction): ActionSender {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<ReviewOutcome | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<ReviewOutcome | null>(null);
  const send = async (outcome: ReviewOutcome, corrections?: unknown): Promise<boolean> => {
    setBusy(outcome);
    setError(null);
    try {
      const text = comment.trim();
      await api.act(runId, {
        step: pending.step,
        action: outcome,
        ...(text ? { comment: text } : {}),
        ...(outcome === 'corrected' ? { corrections } : {}),
      });
      setDone(outcome);
      return true;
    } catch (failure) {
      setError(apiErrorOf(failure));
      return false;
    } finally {
      setBusy(null);
    }
  };
  return { comment, setComment, busy, error, setError, done, send };
}
