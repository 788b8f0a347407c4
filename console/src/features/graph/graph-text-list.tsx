/** The diagram in words: each step with what it does, when it runs and where each way out leads (the SVG's accessible twin). */
import type { GraphEdge, GraphNode, RunbookGraph, StepStatus } from '../../shared/api/index.ts';
import { stepSummary } from '../../../../interpreter/graph/graph-text.ts';

function targetName(edge: GraphEdge, nodes: ReadonlyMap<string, GraphNode>): string {
  const node = nodes.get(edge.to);
  if (!node) return edge.to;
  if (node.kind === 'end') return 'the end';
  if (node.kind === 'fail') return `the run fails: ${node.message}`;
  if (node.kind === 'step') return edge.back ? `back to ${node.title}` : node.title;
  return node.label;
}

function describe(edge: GraphEdge, nodes: ReadonlyMap<string, GraphNode>): string {
  const where = targetName(edge, nodes);
  if (edge.kind === 'next') return `then ${where}`;
  if (edge.kind === 'skip') return `skipped unless its condition holds: on to ${where}`;
  if (edge.kind === 'error') return `on ${edge.label}: ${where}`;
  if (edge.kind === 'deadline') return `${edge.label}: ${where}`;
  return `${edge.label}: ${where}`;
}

export function GraphTextList({ graph, statuses }: { readonly graph: RunbookGraph; readonly statuses?: Readonly<Record<string, StepStatus>> }) {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  return (
    <details className="graph-text">
      <summary>The diagram as text</summary>
      <ol data-testid="graph-list">
        {graph.nodes.map((node) => node.kind !== 'step' ? null : (
          <li key={node.id} data-step={node.id}>
            <strong>{node.title}</strong> ({stepSummary(node)}{statuses?.[node.id] ? `, ${statuses[node.id]}` : ''})
            {node.when !== null ? <> runs only when <code>{node.when}</code></> : null}
            <ul>
              {graph.edges.filter((edge) => edge.from === node.id).map((edge, index) => <li key={index}>{describe(edge, nodes)}</li>)}
            </ul>
          </li>
        ))}
      </ol>
    </details>
  );
}
