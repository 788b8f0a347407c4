/**
 * JSONata's built-in functions as runbooks get them: those that build strings or arrays
 * account for what they build (the big ones — `$pad`, `$join`, `$split`, `$replace` — before
 * they allocate), and `$eval`, which compiles code at run time, refuses. Installed on each
 * compiled expression's own environment, so the library's built-ins stay as they are.
 * Sandbox-safe.
 */
import jsonata from 'jsonata';
import { ExpressionRefusedError, REFUSED_FUNCTIONS } from './expression-errors.ts';
import { SLOT_BYTES, deepBytes, shallowBytes, type EvaluationBudget } from './evaluation-budget.ts';
import { budgetOf, type HookEnvironment } from './jsonata-hooks.ts';

/** JSONata's representation of a native function. */
interface NativeFunction {
  readonly _jsonata_function: true;
  readonly implementation: (this: Focus, ...args: unknown[]) => unknown;
  readonly signature?: unknown;
}

/** What JSONata passes as `this` to a native function. */
interface Focus {
  readonly environment?: HookEnvironment;
}

/** Accounts before the built-in runs; true when that covered its result (nothing to count after). */
type Check = (budget: EvaluationBudget, args: readonly unknown[]) => boolean;
type Count = (budget: EvaluationBudget, result: unknown) => void;

/** Built-ins whose result is accounted for once they return (bounded by their inputs, which are bounded). */
const COUNTED_AFTER = [
  'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase', 'uppercase', 'trim', 'match',
  'formatNumber', 'formatBase', 'formatInteger', 'fromMillis', 'base64encode', 'base64decode',
  'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'zip', 'spread', 'merge',
  'reverse', 'shuffle', 'keys', 'append', 'sift', 'each',
] as const;

/**
 * Built-ins whose JSONata implementation is super-linear in native code the step hooks never see:
 * `$sort` without a comparator (a merge sort that copies the list at every step: quadratic time
 * and memory) and `$distinct` (every item compared with every other). Here they charge one step
 * per item and run in n log n (a native stable sort, same order) and n (canonical keys, same
 * equality as JSONata's deep-equal), so their cost is within the budget's reach.
 */
const REPLACED: Readonly<Record<string, (original: NativeFunction) => NativeFunction['implementation']>> = {
  sort: (original) =>
    function sort(this: Focus, ...args: unknown[]): unknown {
      const [list, comparator] = args;
      const budget = budgetOf(this?.environment);
      if (budget && Array.isArray(list)) budget.work(list.length, '$sort');
      // With a comparator every comparison is an evaluated JSONata function (counted); mixed types get JSONata's own error.
      if (comparator !== undefined || !Array.isArray(list) || list.length <= 1 || !(list.every((item) => typeof item === 'number') || list.every((item) => typeof item === 'string'))) {
        return original.implementation.apply(this, args);
      }
      const sorted = [...(list as (number | string)[])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      budget?.build(sorted.length * SLOT_BYTES, '$sort');
      return sorted;
    },
  distinct: (original) =>
    function distinct(this: Focus & { createSequence?: () => unknown[] }, ...args: unknown[]): unknown {
      const [list] = args;
      if (!Array.isArray(list) || list.length <= 1) return original.implementation.apply(this, args);
      const budget = budgetOf(this?.environment);
      budget?.work(list.length, '$distinct');
      const results: unknown[] = (list as { sequence?: boolean }).sequence === true && this?.createSequence ? this.createSequence() : [];
      const seen = new Set<string>();
      for (const item of list) {
        const key = canonicalKey(item);
        if (seen.has(key)) continue;
        seen.add(key);
        results.push(item);
      }
      budget?.build(results.length * SLOT_BYTES, '$distinct');
      return results;
    },
};

/** A key equal for exactly the values JSONata's deep-equal calls equal: same type, arrays in order, objects whatever their key order. */
function canonicalKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return `${typeof value}:${String(value)}`;
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  const entries = Object.getOwnPropertyNames(value).sort();
  return `{${entries.map((key) => `${JSON.stringify(key)}:${canonicalKey((value as Record<string, unknown>)[key])}`).join(',')}}`;
}

const countShallow = (what: string): Count => (budget, result) => budget.build(shallowBytes(result), what);

/** Checks made before the built-in runs: it never allocates past the budget. */
const CHECKED_BEFORE: Readonly<Record<string, { check: Check; count?: Count }>> = {
  pad: { check: (budget, [text, width]) => (budget.build(padLength(text, width), '$pad'), true) },
  join: { check: (budget, [strings, separator]) => (budget.build(joinLength(strings, separator), '$join'), true) },
  split: { check: checkSplit, count: (budget, result) => budget.build(arrayOfStringsBytes(result), '$split') },
  replace: { check: checkReplace, count: countShallow('$replace') },
  clone: { check: () => false, count: (budget, result) => budget.build(deepBytes(result, budget.limits.valueBytes + 1), '$clone') },
};

let guarded: ReadonlyMap<string, NativeFunction> | undefined;

/** The guarded built-ins, by name (computed once). */
export function guardedFunctions(): ReadonlyMap<string, NativeFunction> {
  if (guarded) return guarded;
  const originals = builtIns([...COUNTED_AFTER, ...Object.keys(CHECKED_BEFORE), ...Object.keys(REPLACED), ...REFUSED_FUNCTIONS]);
  const map = new Map<string, NativeFunction>();
  for (const [name, replace] of Object.entries(REPLACED)) {
    const original = originals.get(name)!;
    map.set(name, { _jsonata_function: true, signature: original.signature, implementation: replace(original) });
  }
  for (const name of COUNTED_AFTER) map.set(name, wrap(originals.get(name)!, undefined, countShallow(`$${name}`)));
  for (const [name, { check, count }] of Object.entries(CHECKED_BEFORE)) map.set(name, wrap(originals.get(name)!, check, count));
  for (const name of REFUSED_FUNCTIONS) map.set(name, refuse(originals.get(name)!, name));
  guarded = map;
  return map;
}

function wrap(original: NativeFunction, check: Check | undefined, count: Count | undefined): NativeFunction {
  return {
    _jsonata_function: true,
    signature: original.signature,
    implementation(this: Focus, ...args: unknown[]): unknown {
      const budget = budgetOf(this?.environment);
      if (!budget) return original.implementation.apply(this, args);
      const accounted = check?.(budget, args) ?? false;
      const result = original.implementation.apply(this, args);
      if (!count || accounted) return result;
      if (result instanceof Promise) return result.then((value: unknown) => (count(budget, value), value));
      count(budget, result);
      return result;
    },
  };
}

function refuse(original: NativeFunction, name: string): NativeFunction {
  return {
    _jsonata_function: true,
    signature: original.signature,
    implementation(): never {
      throw new ExpressionRefusedError(name);
    },
  };
}

/**
 * JSONata's own function objects, read from an evaluation's environment: the first step of an
 * evaluation runs synchronously inside `evaluate()`, so the entry hook has them before it returns.
 */
function builtIns(names: readonly string[]): Map<string, NativeFunction> {
  const found = new Map<string, NativeFunction>();
  const probe = jsonata('0');
  (probe.assign as (name: string | symbol, value: unknown) => void)(Symbol.for('jsonata.__evaluate_entry'), (_node: unknown, _input: unknown, environment: HookEnvironment) => {
    for (const name of names) found.set(name, environment.lookup(name) as NativeFunction);
  });
  void probe.evaluate(null).catch(() => undefined);
  const missing = names.filter((name) => typeof found.get(name)?.implementation !== 'function');
  if (missing.length > 0) throw new Error(`jsonata built-ins not found: ${missing.join(', ')} (an unsupported jsonata version?)`);
  return found;
}

function padLength(text: unknown, width: unknown): number {
  const length = typeof text === 'string' ? text.length : 0;
  if (typeof width !== 'number') return length;
  return Number.isFinite(width) ? Math.max(length, Math.abs(Math.trunc(width))) : Number.POSITIVE_INFINITY;
}

function joinLength(strings: unknown, separator: unknown): number {
  const items = Array.isArray(strings) ? strings : [strings];
  let length = 0;
  for (const item of items) length += typeof item === 'string' ? item.length : 0;
  return length + (typeof separator === 'string' ? separator.length * Math.max(0, items.length - 1) : 0);
}

function arrayOfStringsBytes(value: unknown): number {
  if (!Array.isArray(value)) return shallowBytes(value);
  let bytes = value.length * SLOT_BYTES;
  for (const item of value) bytes += typeof item === 'string' ? item.length : 0;
  return bytes;
}

/** Occurrences of `pattern` in `text` (non-overlapping, as split and replace find them), at most `limit`. */
function occurrences(text: string, pattern: string, limit: number): number {
  let count = 0;
  for (let at = text.indexOf(pattern); at >= 0 && count < limit; at = text.indexOf(pattern, at + pattern.length)) count += 1;
  return count;
}

function checkSplit(budget: EvaluationBudget, [text, separator, limit]: readonly unknown[]): boolean {
  if (typeof text !== 'string' || typeof separator !== 'string') return false;
  const most = typeof limit === 'number' && limit >= 0 ? limit : Number.POSITIVE_INFINITY;
  const parts = Math.min(separator === '' ? text.length : occurrences(text, separator, most) + 1, most);
  budget.build(text.length + parts * SLOT_BYTES, '$split');
  return true;
}

interface RegexMatch {
  readonly match: string;
  readonly next: () => unknown;
}

function checkReplace(budget: EvaluationBudget, [text, pattern, replacement, limit]: readonly unknown[]): boolean {
  if (typeof text !== 'string' || typeof replacement !== 'string') return false;
  const most = typeof limit === 'number' && limit >= 0 ? limit : Number.POSITIVE_INFINITY;
  if (typeof pattern === 'string') {
    if (pattern === '') return false;
    const count = occurrences(text, pattern, most);
    budget.build(text.length + count * Math.max(0, replacement.length - pattern.length), '$replace');
    return true;
  }
  if (typeof pattern !== 'function') return false;
  // A regex: count the matches first (no result is built), then bound the result; `$n` in the
  // replacement inserts at most the match's length per reference.
  let count = 0;
  let longest = 0;
  let match = (pattern as (text: string) => unknown)(text);
  while (isMatch(match) && count < most) {
    count += 1;
    longest = Math.max(longest, match.match.length);
    match = match.next();
  }
  if (match instanceof Promise) return false; // a custom async matcher: counted once it returns
  const perMatch = replacement.includes('$') ? replacement.length * Math.max(1, longest) : replacement.length;
  budget.build(text.length + count * perMatch, '$replace');
  return true;
}

function isMatch(value: unknown): value is RegexMatch {
  return value !== null && typeof value === 'object' && typeof (value as RegexMatch).match === 'string' && typeof (value as RegexMatch).next === 'function';
}
