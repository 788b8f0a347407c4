/** The run page with the pending action composed in (one lazily loaded chunk with act and signals). */
import { RunPage } from '../features/run-page/index.ts';
import { renderPending } from './pending-slot.tsx';

export default function RunRoute({ runId }: { readonly runId: string }) {
  return <RunPage runId={runId} renderPending={renderPending} />;
}
