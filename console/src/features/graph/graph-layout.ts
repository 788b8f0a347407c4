/**
 * Where the diagram draws everything: the steps top to bottom in one column, start and end above
 * and below, fail ends on the right of the step that fails, go-backs as arcs in lanes on the left
 * (nested so they never cross one another's ends), `when` skips as a dashed bypass hugging the box.
 * Pure geometry from the graph model; graph-diagram.tsx only paints it.
 */
import type { GraphEdge, GraphNode, GraphStepNode, RunbookGraph } from '../../shared/api/index.ts';

export const BOX_WIDTH = 330;
const BOX_BASE_HEIGHT = 58;
const WHEN_LINE = 18;
const GAP = 46;
const TERMINAL_HEIGHT = 32;
const TERMINAL_WIDTH = 180;
const FAIL_HEIGHT = 42;
export const FAIL_WIDTH = 240;
const FAIL_SPACING = 8;
const LANE_WIDTH = 26;
const SKIP_INSET = 14;
/** The innermost lane's distance from the boxes (the `when` bypass runs inside it). */
const LANE_START = 32;
const MARGIN = 16;
/** Rough width of a character of the 11px label font (labels are measured before any DOM exists). */
export const LABEL_CHAR = 6.9;

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedNode {
  readonly node: GraphNode;
  readonly box: Box;
}

/** An arrow down the column, from one row to the next, with the labels of every edge it stands for. */
export interface ForwardArrow {
  readonly from: string;
  readonly to: string;
  readonly x: number;
  readonly y1: number;
  readonly y2: number;
  readonly label: string | null;
}

/** A go-back: out of the left of `from`, along its lane, into the left of `to`. */
export interface BackArc {
  readonly edge: GraphEdge;
  readonly laneX: number;
  readonly fromY: number;
  readonly toY: number;
  readonly boxX: number;
}

/** A fail end and the edge into it, from the right of its step. */
export interface FailBranch {
  readonly edge: GraphEdge;
  readonly y: number;
  readonly x1: number;
  readonly x2: number;
}

/** A `when` bypass: from above the step, round its left side, to below it. */
export interface SkipPath {
  readonly edge: GraphEdge;
  readonly x: number;
  readonly top: number;
  readonly bottom: number;
  readonly centerX: number;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly arrows: readonly ForwardArrow[];
  readonly arcs: readonly BackArc[];
  readonly fails: readonly FailBranch[];
  readonly skips: readonly SkipPath[];
}

const isStep = (node: GraphNode): node is GraphStepNode => node.kind === 'step';

/** Lanes for the go-backs: the shortest span nearest the boxes; spans that overlap never share a lane. */
function assignLanes(spans: readonly { readonly top: number; readonly bottom: number }[]): number[] {
  const order = spans.map((span, index) => ({ ...span, index })).sort((a, b) => a.bottom - a.top - (b.bottom - b.top) || a.top - b.top);
  const taken: { top: number; bottom: number }[][] = [];
  const lanes: number[] = new Array<number>(spans.length).fill(0);
  for (const span of order) {
    let lane = 0;
    while ((taken[lane] ?? []).some((other) => span.top <= other.bottom && other.top <= span.bottom)) lane++;
    (taken[lane] ??= []).push(span);
    lanes[span.index] = lane;
  }
  return lanes;
}

/** Evenly spread points along [top, bottom] for `count` ends, in order. */
function spread(top: number, bottom: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => top + ((bottom - top) * (i + 1)) / (count + 1));
}

export function layoutGraph(graph: RunbookGraph): GraphLayout {
  const steps = graph.nodes.filter(isStep);
  const order: GraphNode[] = [];
  for (const node of [graph.nodes.find((candidate) => candidate.kind === 'start'), ...steps, graph.nodes.find((candidate) => candidate.kind === 'end')]) if (node) order.push(node);
  const rowOf = new Map(order.map((node, row) => [node.id, row]));
  const back = graph.edges.filter((edge) => edge.back);
  const toFail = graph.edges.filter((edge) => edge.transition === 'fail');
  const lanes = assignLanes(back.map((edge) => {
    const [a, b] = [rowOf.get(edge.from) ?? 0, rowOf.get(edge.to) ?? 0];
    return { top: Math.min(a, b), bottom: Math.max(a, b) };
  }));
  const laneCount = back.length > 0 ? Math.max(...lanes) + 1 : 0;
  const longestBackLabel = Math.max(0, ...back.map((edge) => (edge.label ?? '').length * LABEL_CHAR));
  const hasSkips = graph.edges.some((edge) => edge.kind === 'skip');
  const left = MARGIN + Math.max(laneCount > 0 ? LANE_START + (laneCount - 1) * LANE_WIDTH + 8 : 0, longestBackLabel + 12, hasSkips ? SKIP_INSET + 40 : 0);
  const failGap = Math.min(210, Math.max(80, ...toFail.map((edge) => (edge.label ?? '').length * LABEL_CHAR + 34)));
  const centerX = left + BOX_WIDTH / 2;

  // Rows top to bottom: each as tall as its box or its stack of fail ends.
  const placed: PlacedNode[] = [];
  const boxOf = new Map<string, Box>();
  let y = MARGIN;
  for (const node of order) {
    if (!isStep(node)) {
      const box = { x: centerX - TERMINAL_WIDTH / 2, y, width: TERMINAL_WIDTH, height: TERMINAL_HEIGHT };
      placed.push({ node, box });
      boxOf.set(node.id, box);
      y += TERMINAL_HEIGHT + GAP;
      continue;
    }
    const height = BOX_BASE_HEIGHT + (node.when !== null ? WHEN_LINE : 0);
    const failCount = toFail.filter((edge) => edge.from === node.id).length;
    const rowHeight = Math.max(height, failCount * (FAIL_HEIGHT + FAIL_SPACING) - FAIL_SPACING);
    const box = { x: left, y: y + (rowHeight - height) / 2, width: BOX_WIDTH, height };
    placed.push({ node, box });
    boxOf.set(node.id, box);
    // Fail ends of this step, stacked beside it.
    toFail.filter((edge) => edge.from === node.id).forEach((edge, index) => {
      const failNode = graph.nodes.find((candidate) => candidate.id === edge.to);
      const failBox = { x: left + BOX_WIDTH + failGap, y: y + index * (FAIL_HEIGHT + FAIL_SPACING), width: FAIL_WIDTH, height: FAIL_HEIGHT };
      if (failNode && !boxOf.has(failNode.id)) {
        placed.push({ node: failNode, box: failBox });
        boxOf.set(failNode.id, failBox);
      }
    });
    y += rowHeight + GAP;
  }
  const height = y - GAP + MARGIN;

  const arrows: ForwardArrow[] = [];
  for (let row = 0; row + 1 < order.length; row++) {
    const [from, to] = [order[row]!, order[row + 1]!];
    const edges = graph.edges.filter((edge) => edge.from === from.id && edge.to === to.id && edge.kind !== 'skip' && !edge.back);
    if (edges.length === 0) continue;
    const plain = edges.some((edge) => edge.kind === 'next');
    const extra = edges.filter((edge) => edge.kind !== 'next').map((edge) => (edge.kind === 'error' ? `on ${edge.label}` : edge.label ?? ''));
    const label = extra.length === 0 ? null : plain ? `also ${extra.join(', ')}` : extra.join(', ');
    const [a, b] = [boxOf.get(from.id)!, boxOf.get(to.id)!];
    arrows.push({ from: from.id, to: to.id, x: centerX, y1: a.y + a.height, y2: b.y, label });
  }

  // The left side of each box holds the ends of its go-backs, out and in, spread along it.
  const ends = new Map<string, { edge: number; out: boolean }[]>();
  back.forEach((edge, index) => {
    for (const [id, out] of [[edge.from, true], [edge.to, false]] as const) ends.set(id, [...(ends.get(id) ?? []), { edge: index, out }]);
  });
  const endY = new Map<string, number>();
  for (const [id, list] of ends) {
    const box = boxOf.get(id);
    if (!box) continue;
    spread(box.y + 6, box.y + box.height - 6, list.length).forEach((at, i) => endY.set(`${list[i].edge}:${list[i].out}`, at));
  }
  const arcs = back.map((edge, index): BackArc => ({
    edge,
    laneX: left - LANE_START - lanes[index] * LANE_WIDTH,
    fromY: endY.get(`${index}:true`) ?? 0,
    toY: endY.get(`${index}:false`) ?? 0,
    boxX: left,
  }));

  const fails = toFail.flatMap((edge): FailBranch[] => {
    const [from, to] = [boxOf.get(edge.from), boxOf.get(edge.to)];
    if (!from || !to) return [];
    return [{ edge, y: to.y + to.height / 2, x1: from.x + from.width, x2: to.x }];
  });

  const skips = graph.edges.filter((edge) => edge.kind === 'skip').flatMap((edge): SkipPath[] => {
    const [from, to] = [boxOf.get(edge.from), boxOf.get(edge.to)];
    if (!from || !to) return [];
    return [{ edge, x: left - SKIP_INSET, top: from.y - GAP / 2, bottom: (from.y + from.height + to.y) / 2, centerX }];
  });

  const right = placed.reduce((max, { box }) => Math.max(max, box.x + box.width), 0);
  return { width: right + MARGIN, height, nodes: placed, arrows, arcs, fails, skips };
}
