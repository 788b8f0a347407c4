/**
 * Where the budget meets JSONata 2.x: the evaluator's per-step hooks (`__evaluate_entry` /
 * `__evaluate_exit`, the debugger's hooks, which fire for every node evaluated, tail calls of
 * the trampoline included) and the sequence factory every path, map and filter builds with.
 * Sandbox-safe.
 */
import type jsonata from 'jsonata';
import { ExpressionLimitError } from './expression-errors.ts';
import { EXPRESSION_LIMIT_KEYS, MAX_SEQUENCE_ITEMS } from './expression-limits.ts';
import { EvaluationBudget, SLOT_BYTES, shallowBytes } from './evaluation-budget.ts';

/** The binding that carries the budget into an evaluation. It holds a space: no JSONata `$name` can spell it. */
const BUDGET_BINDING = 'evaluation budget';
/** Where the budget sits on JSONata's per-evaluation environment once found (a symbol: unreachable from expressions). */
const BUDGET = Symbol('evaluation budget');
const ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EXIT = Symbol.for('jsonata.__evaluate_exit');

/** The parts of JSONata's evaluation environment the hooks use. */
interface EvaluationBase {
  depth: number;
  options?: Record<string, unknown>;
  createSequence: (...items: unknown[]) => unknown[];
  [BUDGET]?: EvaluationBudget;
}

export interface HookEnvironment {
  readonly base: EvaluationBase;
  lookup(name: string | symbol): unknown;
}

interface HookNode {
  readonly type: string;
  readonly value?: unknown;
  readonly group?: unknown;
}

/** The bindings that put `budget` in charge of one evaluation. */
export function budgetBindings(budget: EvaluationBudget): Record<string, unknown> {
  return { [BUDGET_BINDING]: budget };
}

/** The budget of the evaluation an environment belongs to (undefined for an unguarded evaluation). */
export function budgetOf(environment: HookEnvironment | undefined): EvaluationBudget | undefined {
  return environment?.base?.[BUDGET];
}

/** Puts the step and size hooks on a compiled expression (its own environment; the built-ins stay untouched). */
export function installHooks(expression: jsonata.Expression): void {
  const assign = expression.assign as (name: string | symbol, value: unknown) => void;
  assign(ENTRY, onEntry);
  assign(EXIT, onExit);
}

function onEntry(_node: HookNode, _input: unknown, environment: HookEnvironment): void {
  const base = environment.base;
  let budget = base[BUDGET];
  if (!budget) {
    const bound = environment.lookup(BUDGET_BINDING);
    if (!(bound instanceof EvaluationBudget)) return;
    budget = claim(base, bound);
  }
  budget.step(base.depth);
}

/** First step of an evaluation: the budget takes over its sequence factory and its sequence bound. */
function claim(base: EvaluationBase, budget: EvaluationBudget): EvaluationBudget {
  base[BUDGET] = budget;
  const maxItems = Math.min(MAX_SEQUENCE_ITEMS, budget.maxItems);
  // Ranges and $append read `options.sequence` before they allocate: a range past the bound is never built.
  base.options = { ...base.options, sequence: maxItems };
  base.createSequence = boundedSequenceFactory(budget, maxItems);
  return budget;
}

function boundedSequenceFactory(budget: EvaluationBudget, maxItems: number): (...items: unknown[]) => unknown[] {
  return function createSequence(...first: unknown[]): unknown[] {
    const sequence: unknown[] & { sequence?: boolean } = [];
    // An own `push`, as JSONata's own factory does: every item added is accounted for before it is added.
    sequence.push = (...items: unknown[]): number => {
      if (sequence.length + items.length > maxItems) {
        throw new ExpressionLimitError(EXPRESSION_LIMIT_KEYS.valueBytes, budget.limits.valueBytes, `a sequence would hold more than ${maxItems} items`);
      }
      budget.build(items.length * SLOT_BYTES, 'a sequence');
      return Array.prototype.push.apply(sequence, items);
    };
    sequence.sequence = true;
    if (first.length === 1) sequence.push(first[0]);
    return sequence;
  };
}

/** Accounts for what an operator or constructor just built (built-in functions account for themselves). */
function onExit(node: HookNode, _input: unknown, environment: HookEnvironment, result: unknown): void {
  const budget = environment.base[BUDGET];
  if (!budget || result === undefined) return;
  if (node.type === 'binary') {
    if (node.value === '&') budget.build(shallowBytes(result), 'a string (&)');
    else if (node.value === '..') budget.build(shallowBytes(result), 'a range');
  } else if (node.type === 'unary' && node.value === '[') budget.build(shallowBytes(result), 'an array');
  else if ((node.type === 'unary' && node.value === '{') || node.group !== undefined) budget.build(shallowBytes(result), 'an object');
}
