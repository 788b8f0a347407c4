/**
 * RB_STEP_ORDER / RB_UNKNOWN_STEP_REF: reorder safety. An expression of a step may
 * read `$steps.X` only if X runs before it; the top-level output may read any step.
 */
import { referencedSteps } from '../../expressions/index.ts';
import { didYouMean } from '../did-you-mean.ts';
import type { RunbookCheck } from './check-api.ts';
import { compileError } from './expression-syntax.ts';

export const stepOrder: RunbookCheck = {
  name: 'step-order',
  check({ runbook, expressions, stepIndex, report }) {
    const { steps } = runbook;
    for (const site of expressions) {
      if (compileError(site.expr)) continue; // reported by expression-syntax
      const isOutput = site.stepIndex >= steps.length;
      const user = isOutput ? 'the output' : `step "${steps[site.stepIndex].id}"`;
      for (const id of referencedSteps(site.expr)) {
        const at = stepIndex.get(id);
        const offset = site.offset + Math.max(0, site.expr.indexOf(`$steps.${id}`));
        if (at === undefined) {
          report({ code: 'RB_UNKNOWN_STEP_REF', message: `${user} reads $steps.${id}, but there is no step "${id}"${didYouMean(id, stepIndex.keys())}`, pointer: site.pointer, offset });
        } else if (!isOutput && at >= site.stepIndex) {
          const why = at === site.stepIndex ? 'its own result, which does not exist yet' : `step "${id}", which runs after it (steps[${at}] comes after steps[${site.stepIndex}])`;
          report({
            code: 'RB_STEP_ORDER',
            message: `${user} reads $steps.${id}: ${why}; move "${id}" before "${steps[site.stepIndex].id}" or stop using it here`,
            pointer: site.pointer,
            offset,
            related: [{ message: `step "${id}" is defined here`, pointer: `/steps/${at}/id` }],
          });
        }
      }
    }
  },
};
