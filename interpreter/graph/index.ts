/**
 * The runbook graph: a runbook as a diagram model (steps, `when` skips, review outcomes, error
 * routes, deadlines, go-backs, children and fan-outs) and its Mermaid and Graphviz renderings.
 * Pure: no Node built-ins, so the console's browser app may bundle it.
 */
export { runbookGraph } from './runbook-graph.ts';
export { toMermaid, mermaidId, mermaidText } from './to-mermaid.ts';
export { toDot, dotString } from './to-dot.ts';
export { STATUS_STYLES, FAIL_STYLE, stepSummary } from './graph-text.ts';
export type { StatusStyle } from './graph-text.ts';
export { START_NODE_ID, END_NODE_ID } from './graph-model.ts';
export type {
  GraphChild, GraphEdge, GraphEdgeKind, GraphEndNode, GraphFailNode, GraphNode, GraphRenderOptions, GraphStartNode,
  GraphStatuses, GraphStepNode, RunbookGraph,
} from './graph-model.ts';
