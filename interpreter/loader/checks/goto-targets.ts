/** RB_GOTO_NOT_EARLIER / RB_UNKNOWN_STEP_REF: a goto goes back to an earlier step that exists. */
import { didYouMean } from '../did-you-mean.ts';
import { toPointer } from '../json-pointer.ts';
import type { RunbookCheck } from './check-api.ts';
import { stepTransitions } from './step-transitions.ts';

export const gotoTargets: RunbookCheck = {
  name: 'goto-targets',
  check({ runbook, stepIndex, report }) {
    runbook.steps.forEach((step, index) => {
      for (const { transition, path } of stepTransitions(step)) {
        if (typeof transition !== 'object' || !('goto' in transition)) continue;
        const target = transition.goto;
        const pointer = toPointer(['steps', index, ...path, 'goto']);
        const at = stepIndex.get(target);
        if (at === undefined) {
          report({ code: 'RB_UNKNOWN_STEP_REF', message: `step "${step.id}" goes to "${target}", which is not a step${didYouMean(target, stepIndex.keys())}`, pointer });
        } else if (at >= index) {
          const where = at === index ? 'itself' : `step "${target}", which comes after it`;
          report({
            code: 'RB_GOTO_NOT_EARLIER',
            message: `step "${step.id}" goes to ${where}; goto may only go back to an earlier step`,
            pointer,
            related: [{ message: `step "${target}" is defined here`, pointer: `/steps/${at}/id` }],
          });
        }
      }
    });
  },
};
