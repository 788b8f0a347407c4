/** The run page with the pending action composed in (one lazily loaded chunk with act and signals) and the diagram (its own chunk). */
import { RunPage } from '../features/run-page/index.ts';
import { renderRunDiagram } from './diagram-slot.tsx';
import { renderPending } from './pending-slot.tsx';

export default function RunRoute({ runId }: { readonly runId: string }) {
  return <RunPage runId={runId} renderPending={renderPending} renderDiagram={renderRunDiagram} />;
}
