/** The run page with the pending action composed in (one lazily loaded chunk with act and signals), its committed documents and the diagram (a chunk each). */
import { RunPage } from '../features/run-page/index.ts';
import { renderRunDiagram } from './diagram-slot.tsx';
import { renderRunDocuments } from './documents-slot.tsx';
import { renderPending } from './pending-slot.tsx';

export default function RunRoute({ runId }: { readonly runId: string }) {
  return <RunPage runId={runId} renderPending={renderPending} renderDiagram={renderRunDiagram} renderDocuments={renderRunDocuments} />;
}
