/**
 * The runbook diagram as an SVG of our own (no Mermaid in the browser): steps top to bottom with
 * their Lucide icon, title, kind and `when`; go-backs as arcs on the left with their labels; fail
 * ends on the right; fan-outs as a stacked box naming the child runbook. A run's diagram colours
 * each step by its status and writes the status in the box (colour is never the only signal).
 * For screen readers: role="img" with a summary, and the same diagram as a text list below.
 */
import { useId, useMemo } from 'react';
import type { RunbookGraph, StepStatus } from '../../shared/api/index.ts';
import { StepIcon } from '../../shared/ui/step-icon.tsx';
import { FAIL_STYLE, STATUS_STYLES, stepSummary } from '../../../../interpreter/graph/graph-text.ts';
import { layoutGraph, LABEL_CHAR, type BackArc, type FailBranch, type PlacedNode, type SkipPath } from './graph-layout.ts';
import { GraphTextList } from './graph-text-list.tsx';
import './graph.css';

export interface GraphDiagramProps {
  readonly graph: RunbookGraph;
  /** A run's step statuses by step id. */
  readonly statuses?: Readonly<Record<string, StepStatus>>;
}

const IDLE = { fill: '#ffffff', stroke: '#b8bfc9', text: '#1c2430' };
const BACK = '#8a5a00';
const MUTED = '#5a6472';

/** `text` cut to `max` characters with an ellipsis (the full text is in the node's tooltip). */
function fit(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(1, max - 1))}…`;
}

/** `text` in at most `lines` lines of `max` characters, broken between words; the last one cut with an ellipsis. */
function wrap(text: string, max: number, lines: number): string[] {
  const out: string[] = [];
  let rest = text.replace(/\s+/g, ' ').trim();
  while (rest && out.length < lines - 1) {
    if (rest.length <= max) break;
    const cut = rest.lastIndexOf(' ', max);
    const at = cut > max / 3 ? cut : max;
    out.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) out.push(fit(rest, max));
  return out;
}

function Label({ x, y, anchor = 'start', color = MUTED, children }: { readonly x: number; readonly y: number; readonly anchor?: 'start' | 'middle' | 'end'; readonly color?: string; readonly children: string }) {
  return <text x={x} y={y} textAnchor={anchor} className="graph-label" fill={color}>{children}</text>;
}

function StepBox({ placed, status }: { readonly placed: PlacedNode; readonly status: StepStatus | undefined }) {
  const { node, box } = placed;
  if (node.kind !== 'step') return null;
  const paint = status ? STATUS_STYLES[status] : IDLE;
  const { x, y, width, height } = box;
  const textX = x + 48;
  const room = width - 58 - (status ? 86 : 0);
  const fanOut = node.child?.fan_out === true;
  return (
    <g data-testid={`graph-step-${node.id}`} data-status={status ?? 'none'} data-kind={node.step_kind}>
      <title>{[node.title, stepSummary(node), node.when !== null ? `when ${node.when}` : null, status ? `status: ${status}` : null].filter(Boolean).join('\n')}</title>
      {fanOut ? (
        <>
          <rect x={x + 8} y={y + 8} width={width} height={height} rx={8} fill="#ffffff" stroke={paint.stroke} strokeWidth={1} />
          <rect x={x + 4} y={y + 4} width={width} height={height} rx={8} fill="#ffffff" stroke={paint.stroke} strokeWidth={1} />
        </>
      ) : null}
      <rect x={x} y={y} width={width} height={height} rx={8} fill={paint.fill} stroke={paint.stroke} strokeWidth={status === 'waiting' || status === 'running' ? 2.5 : 1.5} />
      {node.step_kind === 'child' && !fanOut ? <rect x={x + 3} y={y + 3} width={width - 6} height={height - 6} rx={6} fill="none" stroke={paint.stroke} strokeWidth={1} /> : null}
      <circle cx={x + 24} cy={y + 26} r={15} fill="#ffffff" stroke={paint.stroke} strokeWidth={1} />
      <svg x={x + 15} y={y + 17} width={18} height={18} overflow="visible" color={paint.text}><StepIcon name={node.icon} size={18} /></svg>
      <text x={textX} y={y + 24} className="graph-title" fill={paint.text}>{fit(node.title, Math.floor(room / 8))}</text>
      <text x={textX} y={y + 43} className="graph-summary" fill={status ? paint.text : MUTED}>{fit(stepSummary(node), Math.floor((width - 58) / 7.3))}</text>
      {node.when !== null ? <text x={textX} y={y + 62} className="graph-when" fill={BACK}>{fit(`when ${node.when}`, Math.floor((width - 58) / 7))}</text> : null}
      {status ? <text x={x + width - 12} y={y + 22} textAnchor="end" className="graph-status" fill={paint.stroke}>{status}</text> : null}
    </g>
  );
}

function Terminal({ placed }: { readonly placed: PlacedNode }) {
  const { node, box } = placed;
  if (node.kind === 'fail') {
    return (
      <g data-testid={`graph-fail-${node.id.replace('#fail-', '')}`}>
        <title>{`Fail: ${node.message}`}</title>
        <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={6} fill={FAIL_STYLE.fill} stroke={FAIL_STYLE.stroke} strokeWidth={1.2} />
        {wrap(`Fail: ${node.message}`, Math.floor((box.width - 20) / 6.6), 2).map((line, index, lines) => (
          <text key={index} x={box.x + 10} y={box.y + box.height / 2 + 4 + (index - (lines.length - 1) / 2) * 14} className="graph-fail" fill={FAIL_STYLE.text}>{line}</text>
        ))}
      </g>
    );
  }
  if (node.kind !== 'start' && node.kind !== 'end') return null;
  return (
    <g data-testid={`graph-${node.kind}`}>
      <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={box.height / 2} fill="#16202d" stroke="#16202d" />
      <text x={box.x + box.width / 2} y={box.y + box.height / 2 + 5} textAnchor="middle" className="graph-terminal" fill="#ffffff">{node.kind === 'start' ? 'Start' : 'End'}</text>
    </g>
  );
}

function Arc({ arc, marker }: { readonly arc: BackArc; readonly marker: string }) {
  const { laneX, fromY, toY, boxX } = arc;
  const r = Math.min(8, Math.abs(fromY - toY) / 2);
  const up = toY < fromY ? -1 : 1;
  const d = `M ${boxX} ${fromY} H ${laneX + r} Q ${laneX} ${fromY} ${laneX} ${fromY + up * r} V ${toY - up * r} Q ${laneX} ${toY} ${laneX + r} ${toY} H ${boxX - 2}`;
  return (
    <g className="graph-back">
      <path d={d} fill="none" stroke={BACK} strokeWidth={1.5} strokeDasharray="6 4" markerEnd={`url(#${marker})`} />
      {arc.edge.label ? <Label x={boxX - 6} y={fromY - 5} anchor="end" color={BACK}>{fit(arc.edge.label, 40)}</Label> : null}
    </g>
  );
}

function FailEdge({ branch, fromBox, marker }: { readonly branch: FailBranch; readonly fromBox: PlacedNode['box'] | undefined; readonly marker: string }) {
  const top = (fromBox?.y ?? branch.y) + 8;
  const bottom = (fromBox ? fromBox.y + fromBox.height : branch.y) - 8;
  const startY = Math.min(bottom, Math.max(top, branch.y));
  const bend = branch.x1 + 14;
  return (
    <g className="graph-fail-edge">
      <path d={`M ${branch.x1} ${startY} H ${bend} V ${branch.y} H ${branch.x2 - 2}`} fill="none" stroke={FAIL_STYLE.stroke} strokeWidth={1.3} markerEnd={`url(#${marker})`} />
      {branch.edge.label ? <Label x={bend + 6} y={branch.y - 5} color={FAIL_STYLE.text}>{fit(branch.edge.label, Math.floor((branch.x2 - bend - 10) / LABEL_CHAR))}</Label> : null}
    </g>
  );
}

function Skip({ skip, marker }: { readonly skip: SkipPath; readonly marker: string }) {
  const { x, top, bottom, centerX } = skip;
  const r = 8;
  const d = `M ${centerX} ${top} H ${x + r} Q ${x} ${top} ${x} ${top + r} V ${bottom - r} Q ${x} ${bottom} ${x + r} ${bottom} H ${centerX - 4}`;
  return (
    <g className="graph-skip">
      <path d={d} fill="none" stroke="#7b8594" strokeWidth={1.3} strokeDasharray="2 4" markerEnd={`url(#${marker})`} />
      <Label x={centerX - 10} y={top - 4} anchor="end">skip unless when holds</Label>
    </g>
  );
}

function Marker({ id, color }: { readonly id: string; readonly color: string }) {
  return (
    <marker id={id} viewBox="0 0 10 10" refX={9} refY={5} markerWidth={7} markerHeight={7} orient="auto-start-reverse">
      <path d="M 0 0 L 10 5 L 0 10 z" fill={color} />
    </marker>
  );
}

export function GraphDiagram({ graph, statuses }: GraphDiagramProps) {
  const layout = useMemo(() => layoutGraph(graph), [graph]);
  const prefix = `graph${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const steps = graph.nodes.filter((node) => node.kind === 'step');
  const summary = `Diagram of ${graph.title}: ${steps.length} step${steps.length === 1 ? '' : 's'} (${steps.map((node) => node.kind === 'step' ? `${node.title}${statuses?.[node.id] ? `, ${statuses[node.id]}` : ''}` : '').join('; ')}), ${layout.arcs.length} go-back${layout.arcs.length === 1 ? '' : 's'}, ${layout.fails.length} way${layout.fails.length === 1 ? '' : 's'} to fail. The list below says the same in words.`;
  const boxOf = new Map(layout.nodes.map((placed) => [placed.node.id, placed.box]));
  return (
    <div className="graph">
      <div className="graph-scroll">
        <svg role="img" aria-label={summary} viewBox={`0 0 ${layout.width} ${layout.height}`} className="graph-svg" style={{ maxWidth: layout.width }} data-testid="graph-diagram">
          <defs>
            <Marker id={`${prefix}-next`} color="#5a6472" />
            <Marker id={`${prefix}-back`} color={BACK} />
            <Marker id={`${prefix}-fail`} color={FAIL_STYLE.stroke} />
          </defs>
          {layout.skips.map((skip) => <Skip key={`skip-${skip.edge.from}`} skip={skip} marker={`${prefix}-next`} />)}
          {layout.arrows.map((arrow) => (
            <g key={`next-${arrow.from}`}>
              <line x1={arrow.x} y1={arrow.y1} x2={arrow.x} y2={arrow.y2 - 2} stroke="#5a6472" strokeWidth={1.5} markerEnd={`url(#${prefix}-next)`} />
              {arrow.label ? <Label x={arrow.x + 10} y={(arrow.y1 + arrow.y2) / 2 + 4}>{fit(arrow.label, 48)}</Label> : null}
            </g>
          ))}
          {layout.arcs.map((arc, index) => <Arc key={`back-${index}`} arc={arc} marker={`${prefix}-back`} />)}
          {layout.fails.map((branch) => <FailEdge key={`fail-${branch.edge.to}`} branch={branch} fromBox={boxOf.get(branch.edge.from)} marker={`${prefix}-fail`} />)}
          {layout.nodes.map((placed) => placed.node.kind === 'step'
            ? <StepBox key={placed.node.id} placed={placed} status={statuses?.[placed.node.id]} />
            : <Terminal key={placed.node.id} placed={placed} />)}
        </svg>
      </div>
      <GraphTextList graph={graph} statuses={statuses} />
    </div>
  );
}
