/** The transitions of a step (error routes, review outcomes, wait deadline), with their paths inside the step. */
import type { Step, Transition } from '../../format/index.ts';
import type { PathSegment } from '../json-pointer.ts';

export interface LocatedTransition {
  readonly transition: Transition;
  /** Path inside the step, e.g. `['call', 'on_error', 0, 'then']`. */
  readonly path: PathSegment[];
}

export function stepTransitions(step: Step): LocatedTransition[] {
  const found: LocatedTransition[] = [];
  const routes = (list: { then: Transition }[] | undefined, path: PathSegment[]): void => {
    list?.forEach((route, index) => found.push({ transition: route.then, path: [...path, index, 'then'] }));
  };
  if ('call' in step) routes(step.call.on_error, ['call', 'on_error']);
  else if ('child' in step) routes(step.child.on_error, ['child', 'on_error']);
  else if ('agent' in step) routes(step.agent.on_error, ['agent', 'on_error']);
  else if ('commit' in step) routes(step.commit.on_error, ['commit', 'on_error']);
  else if ('previous' in step) routes(step.previous.on_error, ['previous', 'on_error']);
  else if ('review' in step) {
    for (const [name, transition] of Object.entries(step.review.outcomes ?? {})) {
      if (transition !== undefined) found.push({ transition, path: ['review', 'outcomes', name] });
    }
  } else if ('wait' in step && step.wait.deadline) found.push({ transition: step.wait.deadline.then, path: ['wait', 'deadline', 'then'] });
  return found;
}
