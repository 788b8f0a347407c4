/**
 * Display-hint components by `display_hint.type`. The run page renders the pending action with
 * the component registered for its hint's type, else the generic review (reviews) or the signal
 * form (waits).
 *
 * Adding a team's own component:
 *
 * ```tsx
 * // console/src/features/act/hints/approve-invoice.tsx
 * export function ApproveInvoice({ runId, page, pending, hint }: HintComponentProps) {
 *   const sender = useActionSender(runId, pending);
 *   return <>
 *     <InvoiceView invoice={pending.payload} />
 *     {page.can.act ? <OutcomeBar pending={pending} sender={sender} /> : null}
 *   </>;
 * }
 * // and one line in BUILT_IN_HINTS below (or registerHintComponent at start-up, in app/):
 * approve_invoice: lazy(() => import('./hints/approve-invoice.tsx').then((m) => ({ default: m.ApproveInvoice }))),
 * ```
 *
 * A runbook then names it: `display_hint: { type: approve_invoice, ... }`. The component gets the
 * whole run page (`page.definition`, `page.corrections_schema`, `page.can`) and decides with
 * `useActionSender` + `OutcomeBar` (reviews) or `api.signal` (waits).
 */
import { createElement, lazy, Suspense } from 'react';
import type { PendingAction } from '../../shared/api/index.ts';
import { hintObjectOf, type HintComponent, type HintComponentProps } from './hint-component.ts';
import { ReviewExtraction } from './review-extraction.tsx';
import { UploadWait } from './upload-wait.tsx';

const LazyAgentQuestion = lazy(() => import('./agent-question.tsx').then((m) => ({ default: m.AgentQuestion })));

/** An agent's question (`kind: agent`): its own chunk, loaded when a run waits on one. */
function AgentQuestionSlot(props: HintComponentProps) {
  return createElement(Suspense, { fallback: createElement('p', { className: 'muted', role: 'status' }, 'Loading the question…') }, createElement(LazyAgentQuestion, props));
}

const BUILT_IN_HINTS: Readonly<Record<string, HintComponent>> = {
  review_extraction: ReviewExtraction,
  upload: UploadWait,
  agent_question: AgentQuestionSlot,
};

const registry = new Map<string, HintComponent>(Object.entries(BUILT_IN_HINTS));

/** Registers (or replaces) the component for a `display_hint.type`. */
export function registerHintComponent(type: string, component: HintComponent): void {
  registry.set(type, component);
}

/** The component registered for the pending action's hint type, or null (then a fallback renders it). */
export function hintComponentFor(pending: PendingAction): HintComponent | null {
  const type = hintObjectOf(pending.display_hint).type;
  return typeof type === 'string' ? registry.get(type) ?? null : null;
}
