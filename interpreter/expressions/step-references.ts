/**
 * Which steps an expression reads (`$steps.<id>` / `$steps.<id>...`), for reorder-safety checks.
 * Sandbox-safe.
 */
import type jsonata from 'jsonata';
import { parseExpression } from './expression-tree.ts';

/** Step ids read by the expression, e.g. `$steps.ingest.total` → `ingest`. */
export function referencedSteps(source: string): string[] {
  const found = new Set<string>();
  visit(parseExpression(source), found);
  return [...found];
}

function visit(node: jsonata.ExprNode | undefined, found: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  if (node.type === 'path' as jsonata.ExprNode['type'] && Array.isArray(node.steps)) {
    const [head, next] = node.steps;
    if (head?.type === 'variable' && head.value === 'steps' && next?.type === 'name' && typeof next.value === 'string') {
      found.add(next.value);
    }
  }
  for (const child of Object.values(node)) {
    if (Array.isArray(child)) for (const item of child) visitAny(item, found);
    else if (child && typeof child === 'object') visit(child as jsonata.ExprNode, found);
  }
}

function visitAny(item: unknown, found: Set<string>): void {
  if (Array.isArray(item)) for (const inner of item) visitAny(inner, found);
  else if (item && typeof item === 'object') visit(item as jsonata.ExprNode, found);
}
