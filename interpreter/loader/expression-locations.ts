/**
 * `file:line:col` of every expression of a loaded runbook, for the runtimes' failure messages
 * (an EXPRESSION_LIMIT names the place). Computed when a definition is served, not when it is
 * validated: it parses positions, which a valid file otherwise never needs.
 */
import type { ExpressionLocation } from '../expressions/expression-locations.ts';
import type { Runbook } from '../format/index.ts';
import { collectExpressionSites } from './checks/index.ts';
import { SourceLocator } from './source-locator.ts';
import { parseFirstDocument } from './yaml-document.ts';

const computed = new WeakMap<Runbook, readonly ExpressionLocation[]>();

/** Where each expression of `runbook` (parsed from `source`) sits in `file`. Cached per runbook object. */
export function locateExpressions(file: string, source: string, runbook: Runbook): readonly ExpressionLocation[] {
  const known = computed.get(runbook);
  if (known) return known;
  const locator = new SourceLocator(file, source, () => parseFirstDocument(source));
  const locations = collectExpressionSites(runbook).map((site): ExpressionLocation => {
    const { line, column } = locator.locate(site.pointer, 'value', site.offset);
    const step = runbook.steps[site.stepIndex]?.id ?? null;
    return { step, expr: site.expr, at: `${file}:${line}:${column}` };
  });
  computed.set(runbook, locations);
  return locations;
}
