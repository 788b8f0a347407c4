/** Finds every expression of a runbook once, for the checks that need them. */
import { collectExpressions } from '../../expressions/index.ts';
import type { Runbook, Step } from '../../format/index.ts';
import { toPointer, type PathSegment } from '../json-pointer.ts';
import { assertNever } from './assert-never.ts';
import type { ExpressionSite } from './check-api.ts';
import { stepTransitions } from './step-transitions.ts';

/** Every expression in steps (when, args, payloads, predicates, inputs, fail messages) in the output and in schedule inputs. */
export function collectExpressionSites(runbook: Runbook): ExpressionSite[] {
  const sites: ExpressionSite[] = [];
  const add = (value: unknown, path: PathSegment[], stepIndex: number): void => {
    if (value === undefined) return;
    for (const found of collectExpressions(value, path)) {
      sites.push({ pointer: toPointer(found.path), stepIndex, expr: found.expr, offset: found.offset });
    }
  };
  runbook.steps.forEach((step, index) => {
    const base: PathSegment[] = ['steps', index];
    add(step.when, [...base, 'when'], index);
    for (const [value, path] of stepValues(step)) add(value, [...base, ...path], index);
    for (const { transition, path } of stepTransitions(step)) {
      if (typeof transition === 'object' && 'fail' in transition) add(transition.fail, [...base, ...path, 'fail'], index);
    }
  });
  add(runbook.output, ['output'], runbook.steps.length);
  // A schedule's input is evaluated before any step runs (step index 0: no $steps to read).
  runbook.schedules?.forEach((schedule, index) => add(schedule.input, ['schedules', index, 'input'], 0));
  return sites;
}

type Located = [unknown, PathSegment[]];

/** The expression-bearing values of one step, by kind. */
function stepValues(step: Step): Located[] {
  if ('call' in step) return [[step.call.args, ['call', 'args']]];
  if ('review' in step) {
    const { payload, display_hint, reason } = step.review;
    return [[payload, ['review', 'payload']], [display_hint, ['review', 'display_hint']], [reason, ['review', 'reason']]];
  }
  if ('wait' in step) {
    const { until, display_hint, reason } = step.wait;
    return [[until, ['wait', 'until']], [display_hint, ['wait', 'display_hint']], [reason, ['wait', 'reason']]];
  }
  if ('child' in step) return [[step.child.input, ['child', 'input']], [step.child.for_each, ['child', 'for_each']]];
  if ('timer' in step) return 'until' in step.timer ? [[step.timer.until, ['timer', 'until']]] : [];
  if ('commit' in step) return [[step.commit.key, ['commit', 'key']], [step.commit.value, ['commit', 'value']]];
  if ('previous' in step) {
    const { where, before, version } = step.previous;
    return [[where, ['previous', 'where']], [before, ['previous', 'before']], [version, ['previous', 'version']]];
  }
  if ('agent' in step) return [[step.agent.input, ['agent', 'input']]];
  return assertNever(step);
}
