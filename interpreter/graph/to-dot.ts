/**
 * A runbook graph as a Graphviz digraph: `runbook graph SLUG --format dot | dot -Tsvg > flow.svg`.
 * Steps keep their order top to bottom; go-backs are dashed and do not pull the layout
 * (`constraint=false`). Every id and label is a quoted DOT string.
 */
import type { GraphEdge, GraphNode, GraphRenderOptions, RunbookGraph } from './graph-model.ts';
import { FAIL_STYLE, oneLine, STATUS_STYLES, stepSummary, whenLine, type StatusStyle } from './graph-text.ts';

/** A DOT quoted string: backslashes and quotes escaped, newlines as `\n` (a centred line break). */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/**
 * The graph as DOT text; with `statuses`, each step is filled with its status colour.
 *
 * @example
 * writeFileSync('flow.dot', toDot(runbookGraph(runbook), { statuses: { open_period: 'completed' } }));
 */
export function toDot(graph: RunbookGraph, options: GraphRenderOptions = {}): string {
  const lines = [
    `digraph ${dotString(graph.slug)} {`,
    `  label=${dotString(graph.title)};`,
    '  labelloc=t;',
    '  rankdir=TB;',
    '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const node of graph.nodes) lines.push(`  ${dotNode(node, options)};`);
  for (const edge of graph.edges) lines.push(`  ${dotEdge(edge)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function attributes(pairs: Readonly<Record<string, string>>): string {
  return `[${Object.entries(pairs).map(([key, value]) => `${key}=${value}`).join(', ')}]`;
}

function filled(style: StatusStyle, shapeStyle: string): Record<string, string> {
  return { style: dotString(`${shapeStyle},filled`), fillcolor: dotString(style.fill), color: dotString(style.stroke), fontcolor: dotString(style.text) };
}

function dotNode(node: GraphNode, options: GraphRenderOptions): string {
  const id = dotString(node.id);
  switch (node.kind) {
    case 'start':
      return `${id} ${attributes({ label: dotString(`Start: ${oneLine(node.label)}`), shape: 'oval' })}`;
    case 'end':
      return `${id} ${attributes({ label: dotString(oneLine(node.label)), shape: 'oval' })}`;
    case 'fail':
      return `${id} ${attributes({ label: dotString(`Fail: ${oneLine(node.message)}`), shape: 'octagon', ...filled(FAIL_STYLE, 'solid') })}`;
    case 'step': {
      const label = [oneLine(node.title), stepSummary(node), whenLine(node)].filter((line): line is string => line !== null).join('\n');
      const status = options.statuses?.[node.id];
      const style = status !== undefined && Object.hasOwn(STATUS_STYLES, status) ? STATUS_STYLES[status] : undefined;
      const shape = node.step_kind === 'review' ? 'hexagon' : node.child?.fan_out ? 'box3d' : 'box';
      const shapeStyle = node.step_kind === 'child' && !node.child?.fan_out ? 'rounded,bold' : 'rounded';
      const paint = style ? filled(style, shapeStyle) : { style: dotString(shapeStyle) };
      return `${id} ${attributes({ label: dotString(label), shape, ...paint })}`;
    }
  }
}

function dotEdge(edge: GraphEdge): string {
  const pairs: Record<string, string> = {};
  if (edge.label !== null) pairs.label = dotString(edge.label);
  if (edge.kind === 'skip') pairs.style = 'dotted';
  if (edge.back) Object.assign(pairs, { style: 'dashed', constraint: 'false', color: dotString('#8a5a00') });
  if (edge.transition === 'fail') pairs.color = dotString(FAIL_STYLE.stroke);
  return `${dotString(edge.from)} -> ${dotString(edge.to)}${Object.keys(pairs).length > 0 ? ` ${attributes(pairs)}` : ''}`;
}
