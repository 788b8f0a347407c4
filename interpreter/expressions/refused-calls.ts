/**
 * Where an expression names a function runbooks may not use (`$eval`: code compiled at run
 * time, which would also escape the load-time reorder-safety check). Sandbox-safe.
 */
import type jsonata from 'jsonata';
import { REFUSED_FUNCTIONS } from './expression-errors.ts';
import { compileExpression } from './template.ts';

export interface RefusedReference {
  /** The function's name, without the `$`. */
  readonly name: string;
  /** Offset of the `$name` inside the expression source. */
  readonly offset: number;
}

/** Every reference to a refused function (a call, or the function passed as a value). */
export function refusedReferences(source: string): RefusedReference[] {
  const found: RefusedReference[] = [];
  visit(compileExpression(source).ast(), found);
  return found.sort((a, b) => a.offset - b.offset);
}

function visit(node: unknown, found: RefusedReference[]): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, found);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const expr = node as jsonata.ExprNode;
  if (expr.type === 'variable' && typeof expr.value === 'string' && REFUSED_FUNCTIONS.includes(expr.value)) {
    // JSONata positions point just past the token.
    const position = typeof expr.position === 'number' ? expr.position : 0;
    found.push({ name: expr.value, offset: Math.max(0, position - expr.value.length - 1) });
  }
  for (const child of Object.values(node)) if (child && typeof child === 'object') visit(child, found);
}

export interface RiskyRegex {
  /** The pattern's source, between its slashes. */
  readonly source: string;
  /** Offset of the regex literal inside the expression source. */
  readonly offset: number;
}

/**
 * A quantified group that itself holds a quantifier, e.g. `(a+)+`, `(\\w*)*`, `(x+y?){2,}`: the
 * shape that backtracks exponentially on a near-miss. A regex runs as one native call the step
 * budget cannot interrupt, so these are worth a warning.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;

/** Every regex literal in an expression whose pattern nests quantifiers. */
export function riskyRegexes(source: string): RiskyRegex[] {
  const found: RiskyRegex[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const expr = node as jsonata.ExprNode & { value?: unknown };
    if (((expr.type as string) === 'regex' || expr.type === 'regexp') && expr.value instanceof RegExp && NESTED_QUANTIFIER.test(expr.value.source)) {
      const position = typeof expr.position === 'number' ? expr.position : 0;
      found.push({ source: expr.value.source, offset: Math.max(0, position - expr.value.source.length - 2) });
    }
    for (const child of Object.values(node)) if (child && typeof child === 'object') walk(child);
  };
  walk(compileExpression(source).ast());
  return found;
}
