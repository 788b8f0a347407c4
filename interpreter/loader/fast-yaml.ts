/**
 * The fast parse of a runbook: js-yaml 4's `load` (several times faster than the
 * `yaml` package, and about three times faster than js-yaml 5's event parser, but
 * without source positions) with scalars resolved exactly as the `yaml` package's
 * YAML 1.2 core schema resolves them.
 *
 * It only ever answers "this is the plain value" or "don't know": whenever the
 * text uses anything where the two parsers could disagree, or where the full
 * path would report something (tags, directives, anchors and aliases, several
 * documents, duplicate or forbidden or non-string keys, explicit `?` keys, deep
 * nesting, very long lines, flow end indicators at the start of a line, tabs...),
 * it returns undefined and the caller takes the full `yaml` path, which finds and
 * locates every problem. The fast path must never accept what the full path rejects.
 */
import { FAILSAFE_SCHEMA, load, Type, type LoadOptions, type State } from 'js-yaml';
import { isRecord } from './is-record.ts';
import { FORBIDDEN_KEYS, MAX_DEPTH } from './yaml-document.ts';

/** Lines longer than this go to the full path (`yaml` limits implicit keys to 1024 characters). */
const MAX_FAST_LINE = 1000;

// The `yaml` package's core schema (yaml/dist/schema/core), tag by tag, in its resolution order.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const NOT_RESOLVED = Symbol('string');

/** Implicit (plain) scalar resolution of `yaml`'s core schema; strings are NOT_RESOLVED (they stay strings). */
function resolveCoreScalar(source: string): unknown {
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === 't' || source[0] === 'T';
  if (INT_OCT.test(source)) return parseInt(source.substring(2), 8);
  if (INT.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.substring(2), 16);
  if (FLOAT_NAN.test(source)) return source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  return NOT_RESOLVED;
}

/**
 * The one implicit type: all of `yaml`'s core resolution, so none of js-yaml's own int/float/null/bool
 * rules apply. Its tag is private: a node carrying any other tag was tagged in the text (refused).
 */
const CORE_TAG = 'tag:yaml-runbook,2026:implicit-core-scalar';
const coreScalarType = new Type(CORE_TAG, {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && resolveCoreScalar(data) !== NOT_RESOLVED,
  construct: (data: string) => resolveCoreScalar(data),
});

/** str, seq and map (failsafe) plus the core scalars: no timestamps, merge keys, binary or sets. */
const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [coreScalarType] });

/** What js-yaml's state holds at a node's close beyond what its published types say. */
interface NodeState extends State {
  tag: string | null;
  anchor: string | null;
}

/** Thrown from the listener to stop the parse; any throw means "take the full path". */
const REFUSED = new Error('not for the fast path');

/** The next character after `from` that is not a space, on the same line. */
function nextOnLine(text: string, from: number): number {
  let i = from;
  while (text.charCodeAt(i) === 0x20) i++;
  return text.charCodeAt(i);
}

/** Where the node opened at `from` begins: past spaces, line breaks and comments. */
function nodeStart(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a) i++;
    else if (c === 0x23 /* # */ && (i === 0 || text.charCodeAt(i - 1) === 0x20 || text.charCodeAt(i - 1) === 0x0a)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else return i;
  }
}

/** Whether the node beginning at `start` follows `{` or `,` (past spaces and line breaks): an entry's first node. */
function startsEntry(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x0a)) i--;
  const c = text.charCodeAt(i);
  return c !== 0x3a /* : */ && c !== 0x2d /* - */; // `{` or `,`, or a comment's text: taken as a key (refused below unless `:` follows)
}

const FLOW_MAP = 1; // the node is a flow mapping
const FLOW_KEY = 2; // the node is an entry's first node inside a flow mapping: its key

/**
 * The document as a plain value when the fast path can vouch for it, else undefined.
 * Never throws.
 */
export function fastParseRunbookYaml(text: string): Record<string, unknown> | undefined {
  const lineStartClosers = plainEnough(text);
  if (!lineStartClosers) return undefined;
  const closers = new Set(lineStartClosers);
  // Per open node: FLOW_MAP / FLOW_KEY bits.
  const open: number[] = [];
  const options: LoadOptions & { maxDepth: number } = {
    schema: SCHEMA,
    // js-yaml counts every node (scalars too): one more than `yaml`'s collection depth, so this refuses a level early.
    maxDepth: MAX_DEPTH,
    onWarning: () => {
      throw REFUSED;
    },
    listener: (event, state) => {
      const { input, position } = state;
      if (event === 'open') {
        const start = nodeStart(input, position);
        const inFlowMap = open.length > 0 && (open[open.length - 1] & FLOW_MAP) !== 0;
        open.push((input.charCodeAt(start) === 0x7b /* { */ ? FLOW_MAP : 0) | (inFlowMap && startsEntry(input, start) ? FLOW_KEY : 0));
        return;
      }
      const flags = open.pop() ?? 0;
      const { tag, anchor, kind, result } = state as NodeState;
      if (anchor !== null) throw REFUSED;
      if (tag !== null && tag !== '?' && tag !== CORE_TAG) throw REFUSED; // tagged in the text
      const next = nextOnLine(input, position);
      // A flow mapping's key with no `:` after it (`{ a, [b] }`): `yaml` and js-yaml make different keys of some.
      if ((flags & FLOW_KEY) !== 0 && next !== 0x3a /* : */) throw REFUSED;
      if (kind === 'scalar' && typeof result === 'string') return;
      // A non-string scalar, an empty node or a collection followed by `:` is a key `yaml` would not make a string.
      if (next === 0x3a /* : */) throw REFUSED;
      // A flow collection's `]` or `}` at the start of a line: `yaml` warns unless it is indented more than its parent.
      if ((kind === 'sequence' || kind === 'mapping') && closers.has(position - 1)) throw REFUSED;
    },
  };
  try {
    const value = load(text, options);
    return isRecord(value) && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A `?` that may start an explicit key (at a line's start, after `- ` entries, or after `{`, `[`, `,`):
 * its key need not be followed by `:` on its line, so a non-string one would go unseen.
 */
const EXPLICIT_KEY = /(?:^|[{[,])[ ]*(?:-[ ]+)*\?(?:[ \n]|$)/m;

/** A `#` right after a quote or a flow end: js-yaml takes it as a comment, `yaml` wants white space first. */
const GLUED_COMMENT = /["'\]}]#/;

/** Content on a `---` or `...` line: js-yaml reads it, `yaml` (strict) refuses. */
const MARKER_WITH_CONTENT = /^(?:---|\.\.\.)[^\n]/m;

/**
 * Text-level refusals, cheaper than finding them while parsing: tabs (indentation and
 * separation rules differ between parsers), carriage returns, `%` directives, verbatim
 * tags, `\U` escapes (js-yaml takes code points past U+10FFFF), explicit keys, comments glued to a
 * quote or flow end, content on a document marker line, the forbidden key names anywhere, and lines
 * over MAX_FAST_LINE characters. Returns the offsets of `]` and `}` that
 * start a line (after spaces): unless inside a scalar they may end a flow
 * collection, where `yaml` warns when it is not indented more than its parent.
 */
function plainEnough(text: string): number[] | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0x25 /* % */) return undefined;
  if (text.includes('!<') || text.includes('\\U') || EXPLICIT_KEY.test(text) || GLUED_COMMENT.test(text) || MARKER_WITH_CONTENT.test(text)) return undefined;
  for (const key of FORBIDDEN_KEYS) if (text.includes(key)) return undefined;
  const closers: number[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > MAX_FAST_LINE) return undefined;
    let i = start;
    while (i < end && text.charCodeAt(i) === 0x20) i++;
    const first = text.charCodeAt(i);
    if (i < end && (first === 0x5d /* ] */ || first === 0x7d /* } */)) closers.push(i);
    else if (first === 0x25 /* % */ && i === start) return undefined;
    start = end + 1;
  }
  return closers;
}
