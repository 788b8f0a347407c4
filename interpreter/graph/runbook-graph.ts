/**
 * A runbook → its graph: the steps in order and every edge a run can take between them
 * (./graph-model.ts). Pure data in, pure data out; expressions are shown as written, never evaluated.
 */
import type { ErrorRoute, ReviewOutcome, ReviewStep, Runbook, Step, StepKind, Transition } from '../format/runbook-format.ts';
import {
  END_NODE_ID, START_NODE_ID,
  type GraphChild, type GraphEdge, type GraphEdgeKind, type GraphFailNode, type GraphNode, type GraphStepNode, type RunbookGraph,
} from './graph-model.ts';

/** A review without `outcomes` (docs/format.md, review): approved and corrected go on, rejected fails. */
const DEFAULT_OUTCOMES: Readonly<Record<ReviewOutcome, Transition>> = {
  approved: 'continue',
  rejected: { fail: 'Rejected at review' },
  corrected: 'continue',
};
const OUTCOME_ORDER: readonly ReviewOutcome[] = ['approved', 'rejected', 'corrected'];
/** `child.concurrency` when a fan-out does not say. */
const DEFAULT_CONCURRENCY = 10;

/**
 * The graph of a validated runbook: start, each step, end and a node per `fail`; edges for the
 * order, `when` skips, review outcomes, `on_error` routes and deadlines (`goto`s marked `back`).
 *
 * @example
 * const graph = runbookGraph(loaded.runbook);
 * graph.edges.filter((edge) => edge.back); // every go-back
 */
export function runbookGraph(runbook: Runbook): RunbookGraph {
  const steps = runbook.steps;
  const indexOf = new Map(steps.map((step, index) => [step.id, index]));
  const fails: GraphFailNode[] = [];
  const edges: GraphEdge[] = [];
  const nextOf = (index: number): string => steps[index + 1]?.id ?? END_NODE_ID;

  /** The edge for `transition` out of the step at `index`. */
  const follow = (index: number, transition: Transition, kind: GraphEdgeKind, label: string): GraphEdge => {
    const from = steps[index].id;
    if (transition === 'continue') return { from, to: nextOf(index), kind, label, transition: 'continue', back: false };
    if ('goto' in transition) {
      const target = indexOf.get(transition.goto);
      return { from, to: transition.goto, kind, label, transition: 'goto', back: target === undefined || target <= index };
    }
    const fail: GraphFailNode = { kind: 'fail', id: `#fail-${fails.length + 1}`, message: transition.fail, step: from };
    fails.push(fail);
    return { from, to: fail.id, kind, label, transition: 'fail', back: false };
  };

  edges.push({ from: START_NODE_ID, to: steps[0].id, kind: 'next', label: null, transition: null, back: false });
  steps.forEach((step, index) => {
    const when = whenText(step.when);
    if (when !== null) edges.push({ from: step.id, to: nextOf(index), kind: 'skip', label: `skip unless ${when}`, transition: null, back: false });
    if ('review' in step) {
      edges.push(...reviewEdges(step, index, follow));
      return;
    }
    edges.push({ from: step.id, to: nextOf(index), kind: 'next', label: null, transition: null, back: false });
    if ('call' in step) edges.push(...routeEdges(step.call.on_error, index, follow));
    if ('child' in step) edges.push(...routeEdges(step.child.on_error, index, follow));
    if ('agent' in step) edges.push(...routeEdges(step.agent.on_error, index, follow));
    if ('commit' in step) edges.push(...routeEdges(step.commit.on_error, index, follow));
    if ('previous' in step) edges.push(...routeEdges(step.previous.on_error, index, follow));
    if ('wait' in step && step.wait.deadline) edges.push(follow(index, step.wait.deadline.then, 'deadline', `after ${step.wait.deadline.after}`));
  });

  const nodes: GraphNode[] = [
    { kind: 'start', id: START_NODE_ID, label: runbook.title },
    ...steps.map((step, index) => stepNode(step, index)),
    { kind: 'end', id: END_NODE_ID, label: 'End' },
    ...fails,
  ];
  return { slug: runbook.slug, title: runbook.title, nodes, edges: mergeParallel(edges) };
}

type Follow = (index: number, transition: Transition, kind: GraphEdgeKind, label: string) => GraphEdge;

function reviewEdges(step: ReviewStep, index: number, follow: Follow): GraphEdge[] {
  const outcomes: Partial<Record<ReviewOutcome, Transition>> = step.review.outcomes ?? DEFAULT_OUTCOMES;
  const edges: GraphEdge[] = [];
  const byOutcome = new Map<ReviewOutcome, GraphEdge>();
  for (const outcome of OUTCOME_ORDER) {
    const transition = outcomes[outcome];
    if (transition === undefined) continue;
    const edge = follow(index, transition, 'outcome', outcome);
    byOutcome.set(outcome, edge);
    edges.push(edge);
  }
  const deadline = step.review.deadline;
  if (deadline) {
    const label = `after ${deadline.after}: ${deadline.outcome}`;
    // The deadline takes the outcome's transition: to the same node (the same fail node, not a second one).
    const listed = byOutcome.get(deadline.outcome);
    edges.push(listed ? { ...listed, kind: 'deadline', label } : follow(index, DEFAULT_OUTCOMES[deadline.outcome], 'deadline', label));
  }
  return edges;
}

function routeEdges(routes: readonly ErrorRoute[] | undefined, index: number, follow: Follow): GraphEdge[] {
  return (routes ?? []).map((route) => follow(index, route.then, 'error', route.type ?? 'any error'));
}

function stepNode(step: Step, index: number): GraphStepNode {
  const base = { kind: 'step', id: step.id, index, title: step.title, icon: step.icon ?? null, when: whenText(step.when) } as const;
  let stepKind: StepKind;
  let detail: string;
  let child: GraphChild | null = null;
  if ('call' in step) [stepKind, detail] = ['call', step.call.handler];
  else if ('review' in step) [stepKind, detail] = ['review', step.review.action ?? 'review'];
  else if ('wait' in step) [stepKind, detail] = ['wait', [step.wait.signal].flat().join(', ')];
  else if ('child' in step) {
    const { runbook, for_each: forEach, concurrency } = step.child;
    [stepKind, detail] = ['child', runbook];
    child = { runbook, fan_out: forEach !== undefined, for_each: forEach ?? null, concurrency: forEach !== undefined ? (concurrency ?? DEFAULT_CONCURRENCY) : null };
  } else if ('timer' in step) [stepKind, detail] = ['timer', 'duration' in step.timer ? step.timer.duration : `until ${step.timer.until}`];
  else if ('commit' in step) [stepKind, detail] = ['commit', step.commit.document];
  else if ('previous' in step) [stepKind, detail] = ['previous', step.previous.document];
  else [stepKind, detail] = ['agent', step.agent.name];
  return { ...base, step_kind: stepKind, detail, child };
}

/** The condition a diagram shows; null when the step always runs (no `when`, or `when: true`). */
function whenText(when: Step['when']): string | null {
  if (when === undefined || when === true) return null;
  return when === false ? 'false' : when;
}

/** Edges with the same ends, kind and transition become one, their labels joined (`approved, corrected`). */
function mergeParallel(edges: readonly GraphEdge[]): GraphEdge[] {
  const merged: GraphEdge[] = [];
  const byKey = new Map<string, number>();
  for (const edge of edges) {
    const key = JSON.stringify([edge.from, edge.to, edge.kind, edge.transition]);
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, merged.length);
      merged.push(edge);
    } else {
      const labels = [merged[at].label, edge.label].filter((label): label is string => label !== null);
      merged[at] = { ...merged[at], label: labels.length > 0 ? labels.join(', ') : null };
    }
  }
  return merged;
}
