/**
 * A runbook graph as a Mermaid flowchart (`flowchart TD`): paste it into a Markdown file on
 * GitHub or GitLab, or mermaid.live. Ids are made safe for Mermaid (`s_<step>`, `run_start`,
 * `run_end`, `fail_<n>`) and every label is quoted, with Mermaid's entity codes for `"`, `#`, `&`,
 * `<`, `>`, `|` and backticks, so no title or expression breaks the chart or adds markup
 * (brackets and `{% … %}` stay as written: inside quotes they are text).
 */
import type { StepStatus } from '../core/run-state.ts';
import { END_NODE_ID, START_NODE_ID, type GraphEdge, type GraphNode, type GraphRenderOptions, type RunbookGraph } from './graph-model.ts';
import { FAIL_STYLE, oneLine, STATUS_STYLES, stepSummary, whenLine } from './graph-text.ts';

/** Characters Mermaid would read as syntax inside a label, as its `#code;` entities. */
const ENTITIES: Readonly<Record<string, string>> = { '"': '#quot;', '#': '#35;', '&': '#38;', '<': '#lt;', '>': '#gt;', '|': '#124;', '`': '#96;' };

/** Label text made safe inside Mermaid's double quotes (one line). */
export function mermaidText(text: string): string {
  return oneLine(text).replace(/["#&<>|`]/g, (char) => ENTITIES[char] ?? char);
}

/** The Mermaid id of a graph node id. */
export function mermaidId(id: string): string {
  if (id === START_NODE_ID) return 'run_start';
  if (id === END_NODE_ID) return 'run_end';
  if (id.startsWith('#fail-')) return `fail_${id.slice('#fail-'.length)}`;
  return `s_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * The graph as Mermaid flowchart text; with `statuses`, each step is styled by its status.
 *
 * @example
 * process.stdout.write(toMermaid(runbookGraph(runbook)));
 * // flowchart TD
 * //   run_start(["Start: Hello review"])
 * //   s_greet("Greet<br/>call util.echo")
 * //   ...
 */
export function toMermaid(graph: RunbookGraph, options: GraphRenderOptions = {}): string {
  const lines = ['flowchart TD'];
  for (const node of graph.nodes) lines.push(`  ${mermaidNode(node)}`);
  for (const edge of graph.edges) lines.push(`  ${mermaidEdge(edge)}`);
  const fails = graph.nodes.filter((node) => node.kind === 'fail').map((node) => mermaidId(node.id));
  if (fails.length > 0) {
    lines.push(`  classDef failed_end fill:${FAIL_STYLE.fill},stroke:${FAIL_STYLE.stroke},color:${FAIL_STYLE.text}`);
    lines.push(`  class ${fails.join(',')} failed_end`);
  }
  lines.push(...statusLines(graph, options.statuses));
  return `${lines.join('\n')}\n`;
}

function mermaidNode(node: GraphNode): string {
  const id = mermaidId(node.id);
  switch (node.kind) {
    case 'start':
      return `${id}(["Start: ${mermaidText(node.label)}"])`;
    case 'end':
      return `${id}(["${mermaidText(node.label)}"])`;
    case 'fail':
      return `${id}>"Fail: ${mermaidText(node.message)}"]`;
    case 'step': {
      const label = [node.title, stepSummary(node), whenLine(node)].filter((line): line is string => line !== null).map(mermaidText).join('<br/>');
      if (node.step_kind === 'review') return `${id}{{"${label}"}}`;
      if (node.step_kind === 'child') return `${id}[["${label}"]]`;
      return `${id}("${label}")`;
    }
  }
}

function mermaidEdge(edge: GraphEdge): string {
  const arrow = edge.kind === 'skip' ? '-.->' : edge.back ? '-.->' : '-->';
  const label = edge.label === null ? '' : `|"${mermaidText(edge.back ? `${edge.label} (go back)` : edge.label)}"|`;
  return `${mermaidId(edge.from)} ${arrow}${label} ${mermaidId(edge.to)}`;
}

function statusLines(graph: RunbookGraph, statuses: GraphRenderOptions['statuses']): string[] {
  if (!statuses) return [];
  const byStatus = new Map<StepStatus, string[]>();
  for (const node of graph.nodes) {
    const status = node.kind === 'step' ? statuses[node.id] : undefined;
    if (status === undefined || !Object.hasOwn(STATUS_STYLES, status)) continue;
    byStatus.set(status, [...(byStatus.get(status) ?? []), mermaidId(node.id)]);
  }
  return [...byStatus].flatMap(([status, ids]) => {
    const style = STATUS_STYLES[status];
    return [`  classDef ${status} fill:${style.fill},stroke:${style.stroke},color:${style.text}`, `  class ${ids.join(',')} ${status}`];
  });
}
