/** RB_EXPRESSION_FORBIDDEN: `$eval` compiles code at run time (unbounded, and beyond the reorder-safety check). */
import { refusedReferences } from '../../expressions/refused-calls.ts';
import type { RunbookCheck } from './check-api.ts';

export const refusedFunctions: RunbookCheck = {
  name: 'refused-functions',
  check({ expressions, report }) {
    for (const site of expressions) {
      let found;
      try {
        found = refusedReferences(site.expr);
      } catch {
        continue; // does not compile: RB_EXPRESSION_SYNTAX reports it
      }
      for (const reference of found) {
        report({
          code: 'RB_EXPRESSION_FORBIDDEN',
          message: `$${reference.name} is not available in runbook expressions: it compiles code at run time; write the expression itself`,
          pointer: site.pointer,
          offset: site.offset + reference.offset,
        });
      }
    }
  },
};
