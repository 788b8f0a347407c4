/**
 * The fast parse of a runbook: js-yaml (several times faster than the `yaml`
 * package, but without source positions) with scalars resolved exactly as the
 * `yaml` package's YAML 1.2 core schema resolves them.
 *
 * It only ever answers "this is the plain value" or "don't know": whenever the
 * text uses anything where the two parsers could disagree, or where the full
 * path would report something (tags, directives, anchors and aliases, several
 * documents, duplicate or forbidden or non-string keys, deep nesting, very long
 * lines, flow end indicators at the start of a line, tabs...), it returns
 * undefined and the caller takes the full `yaml` path, which finds and locates
 * every problem. The fast path must never accept what the full path rejects.
 */
import {
  CORE_SCHEMA,
  defineMappingTag,
  defineScalarTag,
  constructFromEvents,
  EVENT_ID,
  NOT_RESOLVED,
  parseEvents,
  type Event,
} from 'js-yaml';
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

/** Implicit (plain) scalar resolution of `yaml`'s core schema; strings are NOT_RESOLVED (the default `!!str`). */
function resolveCoreScalar(source: string, isExplicit: boolean): unknown {
  if (isExplicit) return NOT_RESOLVED; // explicit tags never reach here (the fast path refuses tags)
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === 't' || source[0] === 'T';
  if (INT_OCT.test(source)) return parseInt(source.substring(2), 8);
  if (INT.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.substring(2), 16);
  if (FLOAT_NAN.test(source)) return source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  return NOT_RESOLVED;
}

/** One implicit tag doing all of `yaml`'s core resolution, so js-yaml's own int/float/null/bool rules never apply. */
const coreScalarTag = defineScalarTag<unknown>('tag:yaml.org,2002:js-yaml-as-yaml-core', {
  implicit: true,
  implicitFirstChars: null,
  resolve: resolveCoreScalar,
  identify: () => false,
});
// js-yaml's own implicit tags of the same names, made inert (the schema replaces tags by name).
const inert = (tagName: string) => defineScalarTag(tagName, { implicit: true, implicitFirstChars: [], resolve: () => NOT_RESOLVED, identify: () => false });

/** Plain objects, like `yaml`'s toJS, refusing (→ full path) non-string and forbidden keys. Duplicates throw in js-yaml. */
const plainMapTag = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  addPair: (carrier, key, value) => {
    if (typeof key !== 'string') return 'non-string key';
    if (FORBIDDEN_KEYS.has(key)) return 'forbidden key';
    carrier[key] = value;
    return '';
  },
  has: (carrier, key) => typeof key === 'string' && Object.hasOwn(carrier, key),
  keys: (result) => Object.keys(result),
  get: (result, key) => (typeof key === 'string' && Object.hasOwn(result, key) ? result[key] : undefined),
  identify: () => false,
});

const SCHEMA = CORE_SCHEMA.withTags(
  inert('tag:yaml.org,2002:null'),
  inert('tag:yaml.org,2002:bool'),
  inert('tag:yaml.org,2002:int'),
  inert('tag:yaml.org,2002:float'),
  coreScalarTag,
  plainMapTag,
);

/**
 * The document as a plain value when the fast path can vouch for it, else undefined.
 * Never throws.
 */
export function fastParseRunbookYaml(text: string): Record<string, unknown> | undefined {
  const lineStartClosers = plainEnough(text);
  if (!lineStartClosers) return undefined;
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH + 8 });
  } catch {
    return undefined;
  }
  let documents = 0;
  let depth = 0;
  let closer = 0;
  let covered = 0;
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1 || event.directives.length > 0) return undefined;
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        if (event.tagStart !== -1 || event.anchorStart !== -1) return undefined;
        // `yaml` counts the top-level collection as depth 1 and refuses depth > MAX_DEPTH; stay one under.
        if (++depth >= MAX_DEPTH) return undefined;
        break;
      case EVENT_ID.SCALAR:
        if (event.tagStart !== -1 || event.anchorStart !== -1) return undefined;
        // A `]` or `}` starting a line inside a scalar (a block expression) is text, not a flow end.
        while (closer < lineStartClosers.length && lineStartClosers[closer] < event.valueStart) closer++;
        while (closer < lineStartClosers.length && lineStartClosers[closer] < event.valueEnd) closer++, covered++;
        break;
      case EVENT_ID.ALIAS:
        return undefined;
      case EVENT_ID.POP:
        if (depth > 0) depth--;
        break;
    }
  }
  if (documents !== 1 || covered !== lineStartClosers.length) return undefined;
  try {
    const [value] = constructFromEvents(events, { source: text, schema: SCHEMA, maxAliases: 0 });
    return isRecord(value) && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Text-level refusals, cheaper than finding them in events: tabs (indentation and
 * separation rules differ between parsers), carriage returns, `%` directives and
 * lines over MAX_FAST_LINE characters. Returns the offsets of `]` and `}` that
 * start a line (after spaces): unless inside a scalar they may end a flow
 * collection, where `yaml` warns when it is not indented more than its parent.
 */
function plainEnough(text: string): number[] | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0x25 /* % */) return undefined;
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
