/** What the diagram renderers write in the nodes, and the colours of step statuses. */
import type { StepStatus } from '../core/run-state.ts';
import type { GraphStepNode } from './graph-model.ts';

/** Whitespace (a folded YAML expression's newlines) collapsed to single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The line under a step's title: its kind and what it does, e.g. `call ledger.open_period`, `fan-out document-ingest (4 at a time)`. */
export function stepSummary(node: GraphStepNode): string {
  const { child } = node;
  if (child?.fan_out) return `fan-out ${child.runbook} (${child.concurrency ?? 10} at a time)`;
  // A review without its own action name is just a review (not `review review`).
  return oneLine(node.detail === node.step_kind ? node.step_kind : `${node.step_kind} ${node.detail}`);
}

/** The line saying when a step runs, or null. */
export function whenLine(node: GraphStepNode): string | null {
  return node.when === null ? null : oneLine(`when ${node.when}`);
}

export interface StatusStyle {
  readonly fill: string;
  readonly stroke: string;
  readonly text: string;
}

/** Node colours by step status (the console's badge colours). */
export const STATUS_STYLES: Readonly<Record<StepStatus, StatusStyle>> = {
  pending: { fill: '#f1f3f6', stroke: '#9aa3af', text: '#374151' },
  running: { fill: '#eaf2ff', stroke: '#1c4f9c', text: '#1c3d73' },
  waiting: { fill: '#fdf3dc', stroke: '#8a5a00', text: '#5c3c00' },
  completed: { fill: '#e5f4ec', stroke: '#1d7a46', text: '#14532f' },
  failed: { fill: '#fde8e6', stroke: '#b42318', text: '#7a1a12' },
  skipped: { fill: '#f7f7f8', stroke: '#c4c9d1', text: '#6b7280' },
};

/** The style of fail nodes, in every diagram. */
export const FAIL_STYLE: StatusStyle = { fill: '#fde8e6', stroke: '#b42318', text: '#7a1a12' };
