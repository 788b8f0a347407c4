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
      parsed = { ast: simplePathTree(source) ?? jsonata(source).ast() };
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

/** `$name` or `$name.field.field`, with spaces around: most expressions in runbooks (71% of the distinct ones of the validate bench). */
const SIMPLE_PATH = /^[ \t\n\r]*\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)[ \t\n\r]*$/;
/** Names that are values, not fields, after a dot. */
const VALUE_NAMES = new Set(['true', 'false', 'null']);

/**
 * The tree JSONata's parser builds for a simple path, built without it: its parse allocates a
 * symbol table each time (~17 KB), and validating 1,000 files parses ~10,000 expressions. The
 * same nodes, fields and positions (each token's end offset) as jsonata(source).ast(); anything
 * else is left to JSONata (test/expressions/expression-tree.test.ts compares the two).
 */
export function simplePathTree(source: string): jsonata.ExprNode | undefined {
  const match = SIMPLE_PATH.exec(source);
  if (!match) return undefined;
  const [, variable, rest] = match;
  let position = source.indexOf('$') + 1 + variable.length;
  const first = { value: variable, type: 'variable', position } as jsonata.ExprNode;
  if (rest === '') return first;
  const steps: jsonata.ExprNode[] = [first];
  for (const name of rest.slice(1).split('.')) {
    if (VALUE_NAMES.has(name)) return undefined;
    position += 1 + name.length;
    steps.push({ value: name, type: 'name', position } as jsonata.ExprNode);
  }
  return { type: 'path', steps } as unknown as jsonata.ExprNode;
}
