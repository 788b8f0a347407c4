/**
 * The cross-file step of validation, on plain per-file outcomes: duplicate slugs, child
 * runbooks and dispatch cycles, then every diagnostic in report order. Shared by the plain
 * and the cached validation, so a cached file meets exactly the checks a fresh one does.
 */
import { checkChildRunbooks, type ChildGraphNode, type FileProblem } from './child-runbooks.ts';
import type { Diagnostic } from './diagnostic.ts';
import { checkDocumentReferences } from './document-references.ts';

/** What one file contributes to a report, however it was obtained (loaded now or from the cache). */
export interface FileOutcome {
  readonly file: string;
  /** The file's own diagnostics, placed. */
  readonly diagnostics: readonly Diagnostic[];
  /** The slug it declares, when it parsed far enough to have one. */
  readonly slug?: string;
  /** Set when the file passed the schema (even with semantic errors): cross-file checks apply. */
  readonly node?: ChildGraphNode;
}

/** Cross-file problems of `checked` among `checked` + `referenced`; an internal failure becomes one RB_INTERNAL problem in the first file. */
export function crossFileProblems(checked: readonly FileOutcome[], referenced: readonly FileOutcome[]): FileProblem[] | Error {
  const nodes = (entries: readonly FileOutcome[]): ChildGraphNode[] => entries.flatMap(({ node }) => (node ? [node] : []));
  const brokenSlugs = new Set([...checked, ...referenced].flatMap(({ node, slug }) => (!node && slug ? [slug] : [])));
  try {
    const own = nodes(checked);
    const known = [...own, ...nodes(referenced)];
    return [...checkChildRunbooks(own, known, brokenSlugs), ...checkDocumentReferences(own, known)];
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Diagnostics grouped by file in input order, then by position (a stable sort: equal places keep check order). */
export function orderDiagnostics(paths: readonly string[], diagnostics: Diagnostic[]): Diagnostic[] {
  const order = new Map(paths.map((path, index) => [path, index]));
  return diagnostics.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.column - b.column);
}
