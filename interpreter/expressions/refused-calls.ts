/**
 * Where an expression names a function runbooks may not use (`$eval`: code compiled at run
 * time, which would also escape the load-time reorder-safety check). Sandbox-safe.
 */
import type jsonata from 'jsonata';
import { REFUSED_FUNCTIONS } from './expression-errors.ts';
import { compileLinear } from './linear-regex.ts';
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
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const expr = node as jsonata.ExprNode & { value?: unknown };
    if (((expr.type as string) === 'regex' || expr.type === 'regexp') && expr.value instanceof RegExp) {
      try {
        compileLinear(expr.value);
      } catch (error) {
        const position = typeof expr.position === 'number' ? expr.position : 0;
        const reason = error instanceof Error ? error.message : String(error);
        found.push({ source: expr.value.source, offset: Math.max(0, position - expr.value.source.length - 2), reason });
      }
    }
    for (const child of Object.values(node)) if (child && typeof child === 'object') walk(child);
  };
  walk(compileExpression(source).ast());
  return found;
}
