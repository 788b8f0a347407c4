/**
 * `{% ... %}` templates: finding, compiling and evaluating JSONata expressions
 * embedded in runbook values. Sandbox-safe: no Node built-ins, no I/O.
 */
import { LinearRegex } from './linear-regex.ts';
import jsonata from 'jsonata';
import { ExpressionLimitError, isExpressionGuardError } from './expression-errors.ts';
import { DEFAULT_EXPRESSION_LIMITS, EXPRESSION_LIMIT_KEYS, type ExpressionLimits } from './expression-limits.ts';
import { EvaluationBudget } from './evaluation-budget.ts';
import { guardedFunctions } from './guarded-functions.ts';
import { budgetBindings, installHooks } from './jsonata-hooks.ts';

/** The one documented context every expression sees (as `$name` bindings and as `$$`). */
export interface ExpressionContext {
  /** The run input. */
  readonly input: unknown;
  /** Results of steps that have run, by step id. */
  readonly steps: Readonly<Record<string, unknown>>;
  /** Every payload received per declared signal, in arrival order. */
  readonly signals: Readonly<Record<string, readonly unknown[]>>;
  /** The run: `{ id, slug }`. */
  readonly run: { readonly id: string; readonly slug: string };
  /** The fan-out item and its index (child steps with for_each only). */
  readonly item?: unknown;
  readonly index?: number;
  /** The payload under test in a wait predicate, and its signal name. */
  readonly signal?: unknown;
  readonly signal_name?: string;
  /** The step's own result, in the `fail` message of a review outcome or error route. */
  readonly result?: unknown;
  /** A scheduled start's input template: the schedule's id and its fire time (ISO-8601). */
  readonly schedule?: { readonly id: string; readonly fired_at: string };
  /** The runtime's clock (epoch ms) behind `$now()` and `$millis()`: the workflow clock on Temporal, a simulated one in tests. */
  readonly now?: number;
}

/** A piece of a template string: literal text or an expression source. */
export type TemplatePart = { readonly text: string } | { readonly expr: string; readonly offset: number };

const OPEN = '{%';
const CLOSE = '%}';

/**
 * The options expressions were compiled with before evaluation was bounded: kept for `limits: null`, which
 * replays a Temporal history recorded before the bounds exactly as it ran (core/patches.ts).
 */
const LEGACY_OPTIONS = { stack: 400, sequence: 100_000 } as const;

/** Splits a string into literal and expression parts; `offset` is the index of the expression source in the string. */
export function parseTemplate(source: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf(OPEN, at);
    if (open < 0) break;
    const close = source.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) break;
    if (open > at) parts.push({ text: source.slice(at, open) });
    parts.push({ expr: source.slice(open + OPEN.length, close), offset: open + OPEN.length });
    at = close + CLOSE.length;
  }
  if (at < source.length) parts.push({ text: source.slice(at) });
  return parts;
}

/** True when the string contains at least one `{% ... %}`. */
export function hasExpression(source: string): boolean {
  const open = source.indexOf(OPEN);
  return open >= 0 && source.indexOf(CLOSE, open + OPEN.length) >= 0;
}

/** True when the whole string is exactly one expression (its value is not stringified). */
export function isWholeExpression(source: string): boolean {
  const parts = parseTemplate(source.trim());
  return parts.length === 1 && 'expr' in parts[0];
}

const compiled = new Map<string, jsonata.Expression>();
const compiledLegacy = new Map<string, jsonata.Expression>();

/**
 * Compiles (once per source) a JSONata expression with its guards: the step and size hooks and the
 * guarded built-ins (guarded-functions.ts). Throws jsonata's error (with `code`, `position`) on bad syntax.
 */
export function compileExpression(source: string): jsonata.Expression {
  let expression = compiled.get(source);
  if (!expression) {
    // RE2 semantics for regex literals (linear-regex.ts): no pattern can backtrack without bound.
    expression = jsonata(source, { RegexEngine: LinearRegex } as unknown as jsonata.JsonataOptions);
    installHooks(expression);
    for (const [name, implementation] of guardedFunctions()) expression.assign(name, implementation);
    compiled.set(source, expression);
  }
  return expression;
}

function compileLegacy(source: string): jsonata.Expression {
  let expression = compiledLegacy.get(source);
  if (!expression) {
    expression = jsonata(source, LEGACY_OPTIONS as jsonata.JsonataOptions);
    compiledLegacy.set(source, expression);
  }
  return expression;
}

function bindingsOf(context: ExpressionContext): Record<string, unknown> {
  return {
    input: context.input,
    steps: context.steps,
    signals: context.signals,
    run: context.run,
    item: context.item,
    index: context.index,
    signal: context.signal,
    signal_name: context.signal_name,
    result: context.result,
    ...(context.schedule === undefined ? {} : { schedule: context.schedule }),
    ...(context.now === undefined ? {} : clockBindings(context.now)),
  };
}

const fromMillis = jsonata('$fromMillis(ms, picture, timezone)');

/** `$now(picture?, timezone?)` and `$millis()` on the runtime's clock instead of the host's. */
function clockBindings(ms: number): Record<string, unknown> {
  return {
    now: (picture?: string, timezone?: string) =>
      picture === undefined && timezone === undefined ? new Date(ms).toISOString() : fromMillis.evaluate({ ms, picture, timezone }),
    millis: () => ms,
  };
}

/**
 * How an evaluation is bounded: limits (default DEFAULT_EXPRESSION_LIMITS), or `null` for the
 * evaluation as it was before bounds existed (only to replay histories recorded then).
 */
export type EvaluationLimits = ExpressionLimits | null;

/**
 * Evaluates one expression source against the context, within `limits`. Over a limit it throws an
 * ExpressionLimitError; a refused function (`$eval`) an ExpressionRefusedError; both name the expression.
 *
 * @example
 * await evaluateExpression('$sum($input.amounts)', context, { steps: 10_000, valueBytes: 1 << 20, depth: 100 });
 */
export async function evaluateExpression(source: string, context: ExpressionContext, limits: EvaluationLimits = DEFAULT_EXPRESSION_LIMITS): Promise<unknown> {
  return evaluateWithin(source, context, limits && new EvaluationBudget(limits));
}

async function evaluateWithin(source: string, context: ExpressionContext, budget: EvaluationBudget | null): Promise<unknown> {
  const fast = walkPlainPath(source, context);
  if (fast !== NOT_PLAIN) return fast;
  if (!budget) return normalize(await compileLegacy(source).evaluate(context, bindingsOf(context)));
  try {
    const value: unknown = await compileExpression(source).evaluate(context, { ...bindingsOf(context), ...budgetBindings(budget) });
    return normalize(value);
  } catch (error) {
    if (isExpressionGuardError(error)) throw error.inExpression(source);
    throw sequenceBound(error, budget, source) ?? error;
  }
}

/** JSONata's own sequence bounds (D2014 range over 10^7 items, D2015 sequence over `options.sequence`) are the value limit here. */
function sequenceBound(error: unknown, budget: EvaluationBudget, source: string): ExpressionLimitError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'D2014' && code !== 'D2015') return undefined;
  const items = (error as { value?: unknown }).value;
  return new ExpressionLimitError(EXPRESSION_LIMIT_KEYS.valueBytes, budget.limits.valueBytes, `a range or sequence would hold ${typeof items === 'number' ? items : 'too many'} items`, source);
}

/** `$name` or `$name.field.field…`: the shape the fast path handles. */
const PLAIN_PATH = /^\s*\$(input|steps|signals|run|item|index|signal|signal_name|result)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*$/;
/** Words JSONata reads as operators or literals after a dot: those paths go to JSONata. */
const RESERVED = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);
const NOT_PLAIN: unique symbol = Symbol('not a plain path');
const plainPaths = new Map<string, readonly [keyof ExpressionContext, readonly string[]] | null>();

function parsePlainPath(source: string): readonly [keyof ExpressionContext, readonly string[]] | null {
  let parsed = plainPaths.get(source);
  if (parsed === undefined) {
    const match = PLAIN_PATH.exec(source);
    const fields = match?.[2] ? match[2].slice(1).split('.') : [];
    parsed = match && !fields.some((field) => RESERVED.has(field)) ? [match[1] as keyof ExpressionContext, fields] : null;
    plainPaths.set(source, parsed);
  }
  return parsed;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The value of a plain path without JSONata, when the answer is certain to be the same:
 * every step walks an own field of a plain object and the value found is a JSON scalar or a
 * plain object. Anything else (arrays, whose paths JSONata maps and flattens; missing fields;
 * non-finite numbers) goes to JSONata.
 */
function walkPlainPath(source: string, context: ExpressionContext): unknown {
  const path = parsePlainPath(source);
  if (!path) return NOT_PLAIN;
  let value: unknown = context[path[0]];
  for (const field of path[1]) {
    if (!isPlainObject(value) || !Object.hasOwn(value, field)) return NOT_PLAIN;
    value = value[field];
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  // normalize() turns -0 into 0 (JSON); do the same.
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : NOT_PLAIN;
  return isPlainObject(value) ? normalize(value) : NOT_PLAIN;
}

/**
 * Evaluates a template value: whole-expression strings yield values, mixed strings interpolate, objects and
 * arrays recurse. Every expression in the value shares one budget of `limits`.
 */
export async function evaluateTemplate(value: unknown, context: ExpressionContext, limits: EvaluationLimits = DEFAULT_EXPRESSION_LIMITS): Promise<unknown> {
  return evaluateValue(value, context, limits && new EvaluationBudget(limits));
}

async function evaluateValue(value: unknown, context: ExpressionContext, budget: EvaluationBudget | null): Promise<unknown> {
  if (typeof value === 'string') return evaluateString(value, context, budget);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(await evaluateValue(item, context, budget));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await evaluateValue(item, context, budget);
    return out;
  }
  return value;
}

async function evaluateString(value: string, context: ExpressionContext, budget: EvaluationBudget | null): Promise<unknown> {
  if (!hasExpression(value)) return value;
  const parts = parseTemplate(value.trim());
  if (parts.length === 1 && 'expr' in parts[0]) return evaluateWithin(parts[0].expr, context, budget);
  let text = '';
  for (const part of parseTemplate(value)) {
    if ('text' in part) text += part.text;
    else text += stringify(await evaluateWithin(part.expr, context, budget));
  }
  return text;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** JSONata returns sequences as arrays with extra flags; make results plain JSON. */
function normalize(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Every expression source in a template value, with the JSON path (segments) where it sits and its offset in the string. */
export function collectExpressions(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; expr: string; offset: number }[] {
  const found: { path: (string | number)[]; expr: string; offset: number }[] = [];
  const visit = (node: unknown, at: (string | number)[]): void => {
    if (typeof node === 'string') {
      for (const part of parseTemplate(node)) if ('expr' in part) found.push({ path: at, expr: part.expr, offset: part.offset });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...at, i]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) visit(item, [...at, key]);
    }
  };
  visit(value, path);
  return found;
}
