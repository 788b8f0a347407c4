/**
 * The runbook graph: a runbook's steps and every way a run moves between them, as plain JSON
 * data (the console's API sends it as is). Built by ./runbook-graph.ts, drawn by ./to-mermaid.ts,
 * ./to-dot.ts and the console's diagram. Pure: no Node built-ins, safe in a browser bundle.
 */
import type { StepStatus } from '../core/run-state.ts';
import type { StepKind } from '../format/runbook-format.ts';

/** The ids of the nodes that are not steps: a step id (lower_snake_case) never starts with `#`. */
export const START_NODE_ID = '#start';
export const END_NODE_ID = '#end';

/** Where a run begins. */
export interface GraphStartNode {
  readonly kind: 'start';
  readonly id: typeof START_NODE_ID;
  /** The runbook's title. */
  readonly label: string;
}

/** A child step's runbook: one child run, or one per item of `for_each` (a fan-out). */
export interface GraphChild {
  readonly runbook: string;
  readonly fan_out: boolean;
  /** The `for_each` expression, as written; null without a fan-out. */
  readonly for_each: string | null;
  /** Most children running at once (the default 10 when not written); null without a fan-out. */
  readonly concurrency: number | null;
}

/** One step of the runbook, in list order. */
export interface GraphStepNode {
  readonly kind: 'step';
  /** The step id (what `current_steps` and the statuses are keyed by). */
  readonly id: string;
  /** 0-based position in the runbook's steps. */
  readonly index: number;
  readonly step_kind: StepKind;
  readonly title: string;
  /** A Lucide icon name, or null. */
  readonly icon: string | null;
  /** The `when` condition as written (`{% … %}` or `false`); null when the step always runs. */
  readonly when: string | null;
  /** What the step does, in a few words: the handler, the signals, the review's action, the child runbook, the timer. */
  readonly detail: string;
  /** Child steps only. */
  readonly child: GraphChild | null;
}

/** Where a run ends well (after the last step, or a `continue` out of it). */
export interface GraphEndNode {
  readonly kind: 'end';
  readonly id: typeof END_NODE_ID;
  readonly label: string;
}

/** A `{fail: message}` transition: each has a node of its own (`#fail-1`, `#fail-2`, …). */
export interface GraphFailNode {
  readonly kind: 'fail';
  readonly id: string;
  /** The failure message as written (expressions are not evaluated). */
  readonly message: string;
  /** The step whose transition fails the run. */
  readonly step: string;
}

export type GraphNode = GraphStartNode | GraphStepNode | GraphEndNode | GraphFailNode;

/**
 * - `next`: a step ended well, on to the next one (or to the end);
 * - `skip`: the step's `when` was not true, on to the next one without running it;
 * - `outcome`: a review's decision (`approved`, `rejected`, `corrected`);
 * - `error`: an `on_error` route, labelled with the error type (`any error` without one);
 * - `deadline`: a wait's or a review's deadline.
 */
export type GraphEdgeKind = 'next' | 'skip' | 'outcome' | 'error' | 'deadline';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
  /** What the diagram writes on the edge; null for a plain `next`. */
  readonly label: string | null;
  /** The transition taken: null for `next` and `skip`. */
  readonly transition: 'continue' | 'goto' | 'fail' | null;
  /** A `goto` to this step or an earlier one: drawn as an edge going back up. */
  readonly back: boolean;
}

export interface RunbookGraph {
  readonly slug: string;
  readonly title: string;
  /** Start, the steps in order, end, then the fail nodes in the order their transitions appear. */
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Step statuses by step id (a run's `current_steps`), to colour the nodes of a run's diagram. */
export type GraphStatuses = Readonly<Record<string, StepStatus>>;

/** What the renderers accept. */
export interface GraphRenderOptions {
  /** Colour each step by its status in a run. */
  readonly statuses?: GraphStatuses;
}
