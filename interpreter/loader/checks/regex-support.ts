/**
 * RB_REGEX_UNSUPPORTED: expressions match regexes with RE2 semantics (linear time, so no
 * pattern can backtrack without bound; expressions/linear-regex.ts). A literal RE2 cannot
 * compile (a look-around, a back-reference) is reported at its column.
 */
import { unsupportedRegexes } from '../../expressions/refused-calls.ts';
import type { RunbookCheck } from './check-api.ts';

export const regexSupportCheck: RunbookCheck = {
  name: 'regex-support',
  check({ expressions, report }) {
    for (const site of expressions) {
      let found;
      try {
        found = unsupportedRegexes(site.expr);
      } catch {
        continue; // does not compile: RB_EXPRESSION_SYNTAX reports it
      }
      for (const regex of found) {
        report({
          code: 'RB_REGEX_UNSUPPORTED',
          message: `the regex /${regex.source}/ is not supported: expressions match with RE2 semantics (linear time, no look-arounds or back-references): ${regex.reason}`,
          pointer: site.pointer,
          offset: site.offset + regex.offset,
        });
      }
    }
  },
};
