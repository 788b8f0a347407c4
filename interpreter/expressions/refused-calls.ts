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
