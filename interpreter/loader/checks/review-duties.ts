/**
 * RB_SOD_STEP_UNKNOWN / RB_SOD_STEP_NOT_EARLIER_REVIEW: a review's
 * `separation_of_duties.exclude_actors_of` names review steps that come before it (whose actor
 * is known when this review waits). Reorder safety, like step-order.ts: a review moved above
 * the review it excludes the actor of is reported, with the line.
 */
import { didYouMean } from '../did-you-mean.ts';
import type { RunbookCheck } from './check-api.ts';

export const reviewDuties: RunbookCheck = {
  name: 'review-duties',
  check({ runbook, stepIndex, report }) {
    const { steps } = runbook;
    steps.forEach((step, index) => {
      if (!('review' in step) || !step.review) return;
      const names = step.review.separation_of_duties?.exclude_actors_of ?? [];
      names.forEach((id, position) => {
        const pointer = `/steps/${index}/review/separation_of_duties/exclude_actors_of/${position}`;
        const at = stepIndex.get(id);
        if (at === undefined) {
          const earlierReviews = steps.slice(0, index).filter((candidate) => 'review' in candidate).map((candidate) => candidate.id);
          const suggestion = didYouMean(id, earlierReviews) || didYouMean(id, stepIndex.keys());
          report({ code: 'RB_SOD_STEP_UNKNOWN', message: `step "${step.id}" excludes the actor of "${id}", which is not a step${suggestion}`, pointer });
          return;
        }
        const target = steps[at];
        const why =
          at === index ? 'itself'
          : !('review' in target) ? `step "${id}", which is not a review (only a review has an actor)`
          : at > index ? `step "${id}", which comes after it (steps[${at}] comes after steps[${index}])`
          : null;
        if (why === null) return;
        report({
          code: 'RB_SOD_STEP_NOT_EARLIER_REVIEW',
          message: `step "${step.id}" excludes the actor of ${why}; exclude_actors_of names review steps that run before "${step.id}"`,
          pointer,
          related: [{ message: `step "${id}" is defined here`, pointer: `/steps/${at}/id` }],
        });
      });
    });
  },
};
