/** RB_EXPRESSION_SYNTAX: every expression compiles at load time, with its column in the YAML line. */
import { parseExpression } from '../../expressions/index.ts';
import type { RunbookCheck } from './check-api.ts';

export const expressionSyntax: RunbookCheck = {
  name: 'expression-syntax',
  check({ expressions, report }) {
    for (const site of expressions) {
      const error = compileError(site.expr);
      if (!error) continue;
      report({
        code: 'RB_EXPRESSION_SYNTAX',
        message: `expression does not compile: ${error.message}${error.code ? ` (JSONata ${error.code})` : ''}`,
        pointer: site.pointer,
        offset: site.offset + error.at,
      });
    }
  },
};

/** The compile error of an expression, with the offset (inside the expression) of the offending token. */
export function compileError(expr: string): { message: string; code?: string; at: number } | undefined {
  try {
    parseExpression(expr);
    return undefined;
  } catch (error) {
    const fields = (error ?? {}) as { message?: unknown; code?: unknown; position?: unknown; token?: unknown };
    const position = typeof fields.position === 'number' ? fields.position : 0;
    const token = typeof fields.token === 'string' && fields.token !== '(end)' ? fields.token : '';
    const at = Math.max(0, Math.min(expr.length, position - token.length));
    return { message: String(fields.message ?? error), code: typeof fields.code === 'string' ? fields.code : undefined, at };
  }
}
