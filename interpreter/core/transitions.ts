/** What a step asks the interpreter to do next. Sandbox-safe. */
import type { ErrorRoute, Transition } from '../format/runbook-format.ts';
import type { RunFailure } from './run-state.ts';
import type { StepFailure } from './step-failure.ts';

export type StepOutcome =
  | { readonly next: 'continue'; readonly result: unknown }
  | { readonly next: 'fail'; readonly failure: RunFailure; readonly result?: unknown }
  | { readonly next: 'goto'; readonly target: string; readonly result?: unknown };

/** Turns a declared transition into a step outcome; `fail` messages are already interpolated by the caller. */
export function outcomeOf(transition: Transition, stepId: string, failType: string, result: unknown): StepOutcome {
  if (transition === 'continue') return { next: 'continue', result };
  if ('goto' in transition) return { next: 'goto', target: transition.goto, result };
  return { next: 'fail', failure: { step: stepId, type: failType, message: transition.fail }, result };
}

/** The first `on_error` route matching the failure's type (a route without type matches any). */
export function findRoute(routes: readonly ErrorRoute[] | undefined, failure: StepFailure): ErrorRoute | undefined {
  return routes?.find((route) => route.type === undefined || route.type === failure.type);
}

/** Interpolates the message of a `fail` transition; other transitions pass through. */
export async function interpolateTransition(transition: Transition, evaluate: (value: unknown) => Promise<unknown>): Promise<Transition> {
  if (typeof transition === 'object' && 'fail' in transition) return { fail: String(await evaluate(transition.fail)) };
  return transition;
}

type Evaluate = (value: unknown, extra?: { result?: unknown }) => Promise<unknown>;

/**
 * Routes a failure through `on_error` (call, child, agent, commit and previous steps): the step's result becomes
 * `{error: {type, message}}`, visible as `$result` in a `fail` message. Undefined when no route matches.
 */
export async function routeFailure(routes: readonly ErrorRoute[] | undefined, failure: StepFailure, stepId: string, evaluate: Evaluate): Promise<StepOutcome | undefined> {
  const route = findRoute(routes, failure);
  if (!route) return undefined;
  const result = { error: { type: failure.type, message: failure.message } };
  const transition = await interpolateTransition(route.then, (value) => evaluate(value, { result }));
  return outcomeOf(transition, stepId, failure.type, result);
}
