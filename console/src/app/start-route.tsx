/** The start page with the runbook's diagram composed in (loaded when first shown). */
import { StartPage } from '../features/start-run/index.ts';
import { renderRunbookDiagram } from './diagram-slot.tsx';

export default function StartRoute({ slug }: { readonly slug: string }) {
  return <StartPage slug={slug} renderDiagram={renderRunbookDiagram} />;
}
