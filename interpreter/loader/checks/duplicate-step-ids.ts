/** RB_DUPLICATE_STEP_ID: step ids are unique (they key $steps, goto and child workflow ids). */
import type { RunbookCheck } from './check-api.ts';

export const duplicateStepIds: RunbookCheck = {
  name: 'duplicate-step-ids',
  check({ runbook, stepIndex, report }) {
    runbook.steps.forEach((step, index) => {
      const first = stepIndex.get(step.id);
      if (first === undefined || first === index) return;
      report({
        code: 'RB_DUPLICATE_STEP_ID',
        message: `step id "${step.id}" is used twice (steps[${first}] and steps[${index}]); step ids must be unique`,
        pointer: `/steps/${index}/id`,
        related: [{ message: `first step "${step.id}"`, pointer: `/steps/${first}/id` }],
      });
    });
  },
};
