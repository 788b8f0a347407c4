/**
 * What the validator looks for in an expression's syntax tree: a function runbooks may not use
 * (`$eval`: code compiled at run time, which would also escape the load-time reorder-safety
 * check), and regex literals the linear engine cannot compile. Sandbox-safe.
 */
import type jsonata from 'jsonata';
import { REFUSED_FUNCTIONS } from './expression-errors.ts';
import { compileLinear } from './linear-regex.ts';
import { parseExpression } from './expression-tree.ts';

export interface RefusedReference {
  /** The function's name, without the `$`. */
  readonly name: string;
  /** Offset of the `$name` inside the expression source. */
  readonly offset: number;
}

/** Calls `visit` on every node of an expression's syntax tree. */
function walkAst(source: string, visit: (node: jsonata.ExprNode & { value?: unknown }) => void): void {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    visit(node as jsonata.ExprNode);
    for (const child of Object.values(node)) if (child && typeof child === 'object') walk(child);
  };
  walk(parseExpression(source));
}

/** Offset of a token that ends at `position` (JSONata positions point just past the token). */
const tokenStart = (position: unknown, length: number): number => Math.max(0, (typeof position === 'number' ? position : 0) - length);

/** Every reference to a refused function (a call, or the function passed as a value). */
export function refusedReferences(source: string): RefusedReference[] {
  const found: RefusedReference[] = [];
  walkAst(source, (expr) => {
    if (expr.type === 'variable' && typeof expr.value === 'string' && REFUSED_FUNCTIONS.includes(expr.value)) {
      found.push({ name: expr.value, offset: tokenStart(expr.position, expr.value.length + 1) });
    }
  });
  return found.sort((a, b) => a.offset - b.offset);
}

export interface UnsupportedRegex {
  /** The pattern's source, between its slashes. */
  readonly source: string;
  /** Offset of the regex literal inside the expression source. */
  readonly offset: number;
  /** Why RE2 refuses it (a look-around, a back-reference...). */
  readonly reason: string;
}

/** Every regex literal of an expression that the linear engine (RE2, linear-regex.ts) cannot compile. */
export function unsupportedRegexes(source: string): UnsupportedRegex[] {
  const found: UnsupportedRegex[] = [];
  walkAst(source, (expr) => {
    if (((expr.type as string) !== 'regex' && expr.type !== 'regexp') || !(expr.value instanceof RegExp)) return;
    try {
      compileLinear(expr.value);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      found.push({ source: expr.value.source, offset: tokenStart(expr.position, expr.value.source.length + 2), reason });
    }
  });
  return found;
}
