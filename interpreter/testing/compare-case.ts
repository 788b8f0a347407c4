/**
 * Puts a case's result into the shape of its `expect`, so one deep-equal decides and one diff
 * shows what differs. Only what the case states is compared; script problems always are
 * (expected: none).
 */
import { isDeepStrictEqual } from 'node:util';
import type { PendingAction, StepView } from '../core/index.ts';
import type { Expect, PendingExpect, StepsExpect } from './case-format.ts';
import type { CaseRunResult } from './run-case.ts';
import { textDiff } from './text-diff.ts';

export interface CaseVerdict {
  readonly passed: boolean;
  readonly actual: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
  /** `- expected` / `+ actual` lines, empty when passed. */
  readonly diff: string;
}

type ChildrenExpect = number | readonly string[];
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A value as it travels between runtimes (JSON): in-process an output may hold `undefined`, on Temporal it cannot. */
const asJson = (value: unknown): unknown => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown));

function childrenLike(view: StepView, expected: ChildrenExpect): ChildrenExpect {
  const children = view.children ?? [];
  return typeof expected === 'number' ? children.length : children.map((child) => child.status);
}

/** The final steps in the form the case wrote them: pairs (ordered) or a map. */
function stepsLike(steps: readonly StepView[], expected: StepsExpect): unknown {
  if (Array.isArray(expected)) {
    return steps.map((view, index) => {
      const want = expected[index];
      return want && want.length === 3 ? [view.id, view.status, childrenLike(view, want[2])] : [view.id, view.status];
    });
  }
  const map: Record<string, unknown> = {};
  for (const view of steps) {
    const want = (expected as Record<string, unknown>)[view.id];
    if (isObject(want)) map[view.id] = want.children !== undefined ? { status: view.status, children: childrenLike(view, want.children as ChildrenExpect) } : { status: view.status };
    else map[view.id] = view.status;
  }
  return map;
}

function pendingLike(seen: readonly PendingAction[], expected: readonly PendingExpect[]): unknown[] {
  return seen.map((pending, index) => {
    const view: Record<string, unknown> = { step: pending.step, action: pending.action, kind: pending.kind };
    const want = expected[index] as Record<string, unknown> | undefined;
    for (const key of ['reason', 'payload', 'display_hint', 'outcomes', 'signals', 'comment_required', 'excluded_actors'] as const) if (want && key in want) view[key] = pending[key] ?? null;
    if (want && 'payload_includes' in want) view.payload_includes = partialLike(asJson(pending.payload ?? null), want.payload_includes);
    return view;
  });
}

/** `actual` restricted to the keys `expected` names (recursively for objects; arrays keep their length). */
export function partialLike(actual: unknown, expected: unknown): unknown {
  if (Array.isArray(expected) && Array.isArray(actual)) return actual.map((item, index) => (index < expected.length ? partialLike(item, expected[index]) : item));
  if (isObject(expected) && isObject(actual)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(expected)) if (key in actual) out[key] = partialLike(actual[key], expected[key]);
    return out;
  }
  return actual;
}

/**
 * The calls reordered to follow the expected list where they match it: calls from concurrent
 * children (a fan-out) arrive in any order, and the case states which calls happen, not their
 * interleaving. Unmatched calls keep their order, after the matched ones.
 */
function inExpectedOrder(args: readonly unknown[], expected: readonly unknown[]): unknown[] {
  const unused = [...args];
  const ordered: unknown[] = [];
  for (const want of expected) {
    const index = unused.findIndex((call) => isDeepStrictEqual(partialLike(call, want), want));
    if (index >= 0) ordered.push(...unused.splice(index, 1));
  }
  return [...ordered, ...unused];
}

function callsLike(result: CaseRunResult, expected: NonNullable<Expect['calls']>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, want] of Object.entries(expected)) {
    const args = result.calls.filter((call) => call.handler === name).map((call) => asJson(call.args));
    out[name] = typeof want === 'number' ? args.length : partialLike(inExpectedOrder(args, want), want);
  }
  return out;
}

/** An agent turn as a case writes it: `{ step, input }`, `{ step, answer }` or `{ step, cancelled: true, reason }`. */
function agentTurnOf(call: CaseRunResult['agent_calls'][number]): Record<string, unknown> {
  if (call.kind === 'task') return { step: call.step, input: asJson(call.input) };
  if (call.kind === 'answer') return { step: call.step, answer: asJson(call.answer) };
  return { step: call.step, cancelled: true, reason: call.reason ?? null };
}

function agentsLike(result: CaseRunResult, expected: NonNullable<Expect['agents']>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, want] of Object.entries(expected)) {
    const turns = result.agent_calls.filter((call) => call.agent === name).map(agentTurnOf);
    out[name] = typeof want === 'number' ? turns.length : partialLike(inExpectedOrder(turns, want), want);
  }
  return out;
}

/** The documents committed, as the case wrote each expected one: document, and key, value / value_includes, version when given. */
function documentsLike(result: CaseRunResult, expected: NonNullable<Expect['documents']>): unknown[] {
  const views = result.documents.map((doc, index) => {
    const want = (expected[index] ?? {}) as Record<string, unknown>;
    const view: Record<string, unknown> = { document: doc.document };
    if ('key' in want) view.key = asJson(doc.key);
    if ('value' in want) view.value = asJson(doc.value);
    if ('value_includes' in want) view.value_includes = partialLike(asJson(doc.value), want.value_includes);
    if ('version' in want) view.version = doc.version;
    // An unexpected extra commit says what it was.
    if (index >= expected.length) Object.assign(view, { key: asJson(doc.key), value: asJson(doc.value), version: doc.version });
    return view;
  });
  return views;
}

/** The comparable pair for one case, and whether they agree. */
export function compareCase(result: CaseRunResult, expect: Expect & { readonly status: string }): CaseVerdict {
  const actual: Record<string, unknown> = { status: result.status };
  const expected: Record<string, unknown> = { status: expect.status };
  if (expect.error || result.error) {
    expected.error = expect.error ? { step: expect.error.step, type: expect.error.type } : null;
    actual.error = result.error ? { step: result.error.step, type: result.error.type } : null;
    if (expect.error?.message_includes !== undefined) {
      expected.message_includes = expect.error.message_includes;
      actual.message_includes = result.error?.message.includes(expect.error.message_includes) ? expect.error.message_includes : (result.error?.message ?? null);
    } else if (!expect.error && result.error) {
      // Unexpected: say why, under the error it belongs to.
      actual.error = { step: result.error.step, type: result.error.type, message: result.error.message };
    }
  }
  if ('output' in expect) {
    expected.output = expect.output ?? null;
    actual.output = asJson(result.output);
  }
  if (expect.output_includes !== undefined) {
    expected.output_includes = expect.output_includes;
    actual.output_includes = partialLike(asJson(result.output), expect.output_includes);
  }
  if (expect.steps) {
    expected.steps = expect.steps;
    actual.steps = stepsLike(result.steps, expect.steps);
  }
  if (expect.pending_actions) {
    expected.pending_actions = expect.pending_actions;
    actual.pending_actions = pendingLike(result.pending_actions, expect.pending_actions);
  }
  if (expect.unconsumed_signals) {
    expected.unconsumed_signals = expect.unconsumed_signals;
    actual.unconsumed_signals = result.unconsumed_signals.map((signal) => ({ signal: signal.name, state: signal.state }));
  }
  if (expect.calls) {
    expected.calls = expect.calls;
    actual.calls = callsLike(result, expect.calls);
  }
  if (expect.agents) {
    expected.agents = expect.agents;
    actual.agents = agentsLike(result, expect.agents);
  }
  if (expect.documents) {
    expected.documents = expect.documents;
    actual.documents = documentsLike(result, expect.documents);
  }
  if (expect.elapsed_ms) {
    const { min, max } = expect.elapsed_ms;
    const within = (min === undefined || result.elapsed_ms >= min) && (max === undefined || result.elapsed_ms <= max);
    expected.elapsed_ms = expect.elapsed_ms;
    actual.elapsed_ms = within ? expect.elapsed_ms : { actual: result.elapsed_ms };
  }
  // Always compared (expected: none), shown only when there are some.
  if (result.script_problems.length > 0) {
    expected.script_problems = [];
    actual.script_problems = result.script_problems;
  }
  const passed = isDeepStrictEqual(actual, expected);
  return { passed, actual, expected, diff: passed ? '' : textDiff(expected, actual) };
}
