/**
 * The rules on who decides and why: a user action's actor and comment, a review's
 * `comment_required` and its separation of duties. Pure, sandbox-safe; applied after
 * action-rules.ts accepted the action's shape, on both runtimes.
 */
import type { Rejection } from './action-rules.ts';
import type { PendingAction, UserAction } from './run-state.ts';

/** Longest actor id and comment a run keeps (they are in its state and history). */
export const DECISION_LIMITS = { actorChars: 200, commentChars: 4000 } as const;

export function rejectUnfairAction(action: UserAction, pending: PendingAction | null): Rejection | null {
  const { actor, comment } = action as { actor?: unknown; comment?: unknown };
  if (actor !== undefined && (typeof actor !== 'string' || actor.trim() === '' || actor.length > DECISION_LIMITS.actorChars)) {
    return { code: 'ACTION_INVALID', message: `actor must be a non-empty string of at most ${DECISION_LIMITS.actorChars} characters` };
  }
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > DECISION_LIMITS.commentChars)) {
    return { code: 'ACTION_INVALID', message: `comment must be a string of at most ${DECISION_LIMITS.commentChars} characters` };
  }
  if (!pending) return null;
  if (action.action !== 'answered' && action.action !== 'declined' && pending.comment_required?.includes(action.action) && (typeof comment !== 'string' || comment.trim() === '')) {
    return { code: 'COMMENT_REQUIRED', message: `step "${pending.step}": a ${action.action} action needs a comment saying why` };
  }
  // With nobody to exclude (no starter recorded, no earlier actor) there is nothing to enforce: a run started
  // by code that names nobody behaves as before. Once someone is excluded, the action must say who acts.
  const excluded = pending.excluded_actors;
  if (excluded && excluded.length > 0) {
    if (typeof actor !== 'string') {
      return { code: 'SEPARATION_OF_DUTIES', message: `step "${pending.step}" has separation of duties: the action must name its actor` };
    }
    const match = excluded.find((entry) => entry.actor.toLowerCase() === actor.toLowerCase());
    if (match) return { code: 'SEPARATION_OF_DUTIES', message: `step "${pending.step}": ${actor} ${match.because} and may not act on this review` };
  }
  return null;
}
