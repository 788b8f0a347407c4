/**
 * What the interpreter's handlers say about themselves in the workflow's metadata
 * (`temporal workflow metadata`, the Web UI's "Send a Signal" and query dialogs). Registering a handler
 * or a description is no workflow command: it costs no history event. Sandbox-only (workflow APIs).
 */
import * as wf from '@temporalio/workflow';
import type { Runbook } from '../format/runbook-format.ts';
import { SIGNAL_UPDATE, USER_ACTION } from './workflow-contract.ts';

export const HANDLER_DESCRIPTIONS = {
  pendingAction: 'What the run waits for now (a review or a signal, its reason and deadline), or null.',
  steps: 'The step ladder: every step with its status, attempts and children.',
  uiState: 'The whole run as the console shows it: status, current step, pending action, steps, timeline.',
  userActionUpdate: 'Answer the pending review: { action: approved | rejected | corrected, actor, comment?, corrections? }. A bad action is rejected with its code as the failure type.',
  userActionSignal: 'Answer the pending review, fire-and-forget: { action, actor, comment?, corrections? }. A bad action is logged and dropped.',
  signalUpdate: `Deliver a declared signal with validation: { name, payload }. A bad one is rejected with its code as the failure type.`,
} as const;

/** Names the interpreter already uses for its own handlers: a runbook signal of that name keeps the default delivery. */
const RESERVED = new Set<string>([USER_ACTION, SIGNAL_UPDATE]);

/** The description a declared signal is listed with. */
export function signalDescription(runbook: Runbook, name: string): string {
  const own = runbook.signals?.[name]?.description;
  return own && own.trim() !== '' ? own : `Signal "${name}" declared by ${runbook.slug}; its payload is checked against the declared schema.`;
}

/**
 * Registers every signal the pinned definition declares by its name, with its description, so Temporal's
 * tools list them. Delivery is the same as through the default handler (`deliver`).
 */
export function registerDeclaredSignals(runbook: Runbook, deliver: (name: string, payload: unknown) => void): void {
  for (const name of Object.keys(runbook.signals ?? {})) {
    if (RESERVED.has(name)) continue;
    wf.setHandler(wf.defineSignal<[unknown]>(name), (payload) => deliver(name, payload), { description: signalDescription(runbook, name) });
  }
}
