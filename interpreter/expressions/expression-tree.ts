/**
 * The syntax tree of an expression, for the load-time checks (syntax, refused functions, regex
 * literals, step references): JSONata's parse only, without the guards and hooks an evaluation
 * needs (compileExpression). Validating many files compiles many distinct expressions; keeping
 * a guarded evaluator for each of them made the heap grow by ~200 MB per 1,000 files and the
 * collector dominate. Even a bare tree holds on to the symbol table of its parse (~17 KB: its
 * nodes' prototypes): the checks of one file share the cache, and the loader releases it after
 * them (releaseExpressionTrees), so trees die young instead of being promoted and collected late.
 * Sandbox-safe.
 */
import jsonata from 'jsonata';

/** Entries kept: more than one file's expressions, few enough to keep the heap small (≤ ~9 MB). */
const MAX_TREES = 512;

type Parsed = { readonly ast: jsonata.ExprNode } | { readonly thrown: unknown };
const trees = new Map<string, Parsed>();

/**
 * The syntax tree of `source`. Throws jsonata's error (with `code`, `position`, `token`) on bad
 * syntax, as compileExpression does.
 *
 * @example
 * parseExpression('$steps.ingest.total').type; // 'path'
 */
export function parseExpression(source: string): jsonata.ExprNode {
  let parsed = trees.get(source);
  if (!parsed) {
    try {
      parsed = { ast: jsonata(source).ast() };
    } catch (error) {
      parsed = { thrown: error };
    }
    if (trees.size >= MAX_TREES) trees.clear();
    trees.set(source, parsed);
  }
  if ('thrown' in parsed) throw parsed.thrown;
  return parsed.ast;
}

/** Drops the cached trees (the loader, once a file's checks have run). */
export function releaseExpressionTrees(): void {
  trees.clear();
}
