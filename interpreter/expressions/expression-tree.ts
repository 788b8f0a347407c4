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
      parsed = { ast: simplePathTree(source) ?? shapedTree(source) ?? jsonata(source).ast() };
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

/** Words the grammar reads as operators or values: kept as they are in a shape. */
const KEYWORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);
/** Shapes whose trees hold more than names: regex literals, comments, quoted names, positional and focus bindings, parents. */
const UNSHAPED = new Set(['/', '`', '#', '@', '%', '\\']);
const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_]/;

/** Trees of shapes (`$x.y ? $x.z : 'none'` with every name as `x`s of its length), or null when the shape does not parse. */
const shapes = new Map<string, jsonata.ExprNode | null>();
const MAX_SHAPES = 512;

/**
 * The expression with every name replaced by one of the same length (`$steps.fetch_v12.total` →
 * `$xxxxx.xxxxxxxxx.xxxxx`), strings, numbers, keywords and punctuation kept; undefined when it has
 * anything a shape cannot stand for (non-ASCII, regex literals, comments, backquoted names...).
 */
export function shapeOf(source: string): string | undefined {
  let shape = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "'" || c === '"') {
      const end = source.indexOf(c, i + 1);
      if (end < 0) return undefined;
      const text = source.slice(i, end + 1);
      if (text.includes('\\')) return undefined;
      shape += text;
      i = end + 1;
    } else if (c >= '0' && c <= '9') {
      const number = /^[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/.exec(source.slice(i))![0];
      shape += number;
      i += number.length;
    } else if (IDENTIFIER_START.test(c)) {
      let end = i + 1;
      while (end < source.length && IDENTIFIER_PART.test(source[end])) end++;
      const name = source.slice(i, end);
      shape += KEYWORDS.has(name) ? name : 'x'.repeat(name.length);
      i = end;
    } else {
      if (UNSHAPED.has(c) || c.charCodeAt(0) > 0x7e) return undefined;
      shape += c;
      i++;
    }
  }
  return shape;
}

/**
 * The tree of an expression whose shape was parsed before: a copy of the shape's tree with each
 * name and variable given the text at its place (JSONata positions are token ends; a shape keeps
 * every token's length, so every position). Validating a directory parses each shape once instead
 * of each expression (~3,000 JSONata parses fewer per 1,000 files of the bench). Undefined when
 * the shape is new to this process and does not parse, or has nothing to share: JSONata decides.
 */
function shapedTree(source: string): jsonata.ExprNode | undefined {
  const shape = shapeOf(source);
  if (shape === undefined) return undefined;
  let tree = shapes.get(shape);
  if (tree === undefined) {
    try {
      tree = jsonata(shape).ast();
    } catch {
      tree = null;
    }
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(shape, tree);
  }
  if (tree === null) return undefined;
  return withNames(tree, source) as jsonata.ExprNode;
}

function withNames(node: unknown, source: string): unknown {
  if (Array.isArray(node)) return node.map((item) => withNames(item, source));
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(node)) copy[field] = value !== null && typeof value === 'object' ? withNames(value, source) : value;
  const { type, value, position } = copy;
  if ((type === 'name' || type === 'variable') && typeof value === 'string' && value !== '' && typeof position === 'number' && /^x+$/.test(value)) {
    copy.value = source.slice(position - value.length, position);
  }
  return copy;
}
