/**
 * RB_REGEX_BACKTRACKING (warning): a regex literal with nested quantifiers can backtrack for
 * minutes in one native call, which no expression budget interrupts (docs/limits.md).
 */
import { riskyRegexes } from '../../expressions/refused-calls.ts';
import type { RunbookCheck } from './check-api.ts';

export const riskyRegexesCheck: RunbookCheck = {
  name: 'risky-regexes',
  check({ expressions, report }) {
    for (const site of expressions) {
      let found;
      try {
        found = riskyRegexes(site.expr);
      } catch {
        continue; // does not compile: RB_EXPRESSION_SYNTAX reports it
      }
      for (const regex of found) {
        report({
          code: 'RB_REGEX_BACKTRACKING',
          severity: 'warning',
          message: `the regex /${regex.source}/ nests quantifiers and can backtrack for minutes on a near-miss (on Temporal that stalls the run); write it without a quantified group holding a quantifier`,
          pointer: site.pointer,
          offset: site.offset + regex.offset,
        });
      }
    }
  },
};
