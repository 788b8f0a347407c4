/**
 * The search attributes a run maintains at its start and end, so visibility tells the truth at every
 * moment: a run started by any client (`temporal workflow start`, the Web UI) gets `RunbookSlug`, and a
 * run that ends says so in `RunbookStatus` (`completed`, `failed`, `cancelled`) with the waiting
 * attributes cleared, in one upsert. Both behind `PATCH.finalAttributes`: histories recorded before it
 * replay without these commands. Sandbox-only (workflow APIs).
 */
import * as wf from '@temporalio/workflow';
import { defineSearchAttributeKey, type SearchAttributePair } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from './workflow-contract.ts';

export const ATTRIBUTE_KEYS = {
  slug: defineSearchAttributeKey(SEARCH_ATTRIBUTES.slug, 'KEYWORD'),
  hash: defineSearchAttributeKey(SEARCH_ATTRIBUTES.hash, 'KEYWORD'),
  step: defineSearchAttributeKey(SEARCH_ATTRIBUTES.step, 'KEYWORD'),
  status: defineSearchAttributeKey(SEARCH_ATTRIBUTES.status, 'KEYWORD'),
  pendingAction: defineSearchAttributeKey(SEARCH_ATTRIBUTES.pendingAction, 'KEYWORD'),
  inbox: defineSearchAttributeKey(SEARCH_ATTRIBUTES.inbox, 'KEYWORD'),
  waitingSince: defineSearchAttributeKey(SEARCH_ATTRIBUTES.waitingSince, 'DATETIME'),
} as const;

export type FinalStatus = 'completed' | 'failed' | 'cancelled';

/** What a child is started with: its slug and `running`, so `RunbookSlug='document-ingest'` finds children. */
export function childStartAttributes(slug: string): SearchAttributePair[] {
  return [
    { key: ATTRIBUTE_KEYS.slug, value: slug },
    { key: ATTRIBUTE_KEYS.status, value: 'running' },
  ];
}

/** At the start of a run that has no RunbookSlug (a start without our attributes): sets it, and `running`. */
export function ensureStartAttributes(slug: string): void {
  if (wf.workflowInfo().typedSearchAttributes.get(ATTRIBUTE_KEYS.slug) !== undefined) return;
  wf.upsertSearchAttributes(childStartAttributes(slug));
}

/**
 * The run's last upsert (once: later calls do nothing): the final status, the step a failed or cancelled
 * run stopped at (cleared when it completed), and no pending action or inbox entry (nor RunbookWaitingSince,
 * in runs that set it: `PATCH.waitingSince`).
 */
export class FinalAttributes {
  private done = false;

  constructor(private readonly enabled: boolean, private readonly waitingSince: boolean) {}

  settle(status: FinalStatus, stoppedAt: string | null): void {
    if (!this.enabled || this.done) return;
    this.done = true;
    wf.upsertSearchAttributes([
      { key: ATTRIBUTE_KEYS.status, value: status },
      { key: ATTRIBUTE_KEYS.step, value: status === 'completed' || stoppedAt === null ? null : stoppedAt },
      { key: ATTRIBUTE_KEYS.pendingAction, value: null },
      { key: ATTRIBUTE_KEYS.inbox, value: null },
      ...(this.waitingSince ? [{ key: ATTRIBUTE_KEYS.waitingSince, value: null }] : []),
    ]);
  }
}
