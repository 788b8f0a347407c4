/**
 * The inbox entry of a waiting run as a Keyword search attribute (`RunbookInbox`), so the console
 * lists every waiting run with one visibility query. Sandbox-safe (the workflow encodes, clients
 * decode). A Keyword value is bounded (2 KiB by default on a Temporal server): long reasons and
 * identity values are shortened so the upsert can never fail the workflow task.
 */
import type { InboxEntry } from '../core/inbox-entry.ts';

/** Well under the server's default 2 KiB per value, whatever the characters' UTF-8 width. */
const MAX_CHARS = 600;
const REASON_CHARS = 200;
const VALUE_CHARS = 60;

const shorten = (text: string, chars: number): string => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

interface Budget {
  /** Titles, names and ids (runbook, step, action, hint type, started_by, the parent's fields). */
  readonly names: number;
  readonly reason: number | null;
  /** Identity values (and field names); null drops the identity. */
  readonly identity: number | null;
  readonly parentRunId: number;
}

/** From the full entry to the barest: each tried in turn until the JSON fits MAX_CHARS. */
const BUDGETS: readonly Budget[] = [
  { names: VALUE_CHARS * 2, reason: REASON_CHARS, identity: VALUE_CHARS, parentRunId: 200 },
  { names: VALUE_CHARS * 2, reason: 80, identity: null, parentRunId: 200 },
  { names: 40, reason: null, identity: null, parentRunId: 120 },
  { names: 16, reason: null, identity: null, parentRunId: 40 },
];

function compactOf(entry: InboxEntry, budget: Budget): Record<string, unknown> {
  const name = (text: string): string => shorten(text, budget.names);
  const identity: Record<string, unknown> = {};
  if (budget.identity !== null) {
    for (const [field, value] of Object.entries(entry.identity)) {
      identity[shorten(field, budget.identity)] = typeof value === 'string' ? shorten(value, budget.identity) : typeof value === 'object' && value !== null ? '…' : value;
    }
  }
  const { run_id: _runId, ...rest } = entry;
  const parent = entry.parent && { ...entry.parent, run_id: shorten(entry.parent.run_id, budget.parentRunId), runbook: name(entry.parent.runbook), step: name(entry.parent.step) };
  return {
    ...rest,
    runbook: name(entry.runbook),
    title: name(entry.title),
    step: name(entry.step),
    step_title: name(entry.step_title),
    action: name(entry.action),
    hint_type: entry.hint_type === null ? null : name(entry.hint_type),
    reason: entry.reason === null || budget.reason === null ? null : shorten(entry.reason, budget.reason),
    started_by: entry.started_by === null || budget.names < VALUE_CHARS ? null : name(entry.started_by),
    identity,
    parent,
  };
}

/**
 * The entry without its run id (visibility has it), shortened to fit a Keyword: every text field is
 * bounded (a hint type or a parent id can come from expressions and run ids), and the JSON text (escapes
 * included) never exceeds MAX_CHARS.
 */
export function encodeInboxEntry(entry: InboxEntry): string {
  let text = '';
  for (const budget of BUDGETS) {
    text = JSON.stringify(compactOf(entry, budget));
    if (text.length <= MAX_CHARS) return text;
  }
  // Only escapes (control characters) can get here: the barest entry that still decodes.
  const bare = (value: string): string => shorten(value, 16).replace(/[\u0000-\u001f]/g, '?');
  return JSON.stringify({ runbook: bare(entry.runbook), step: bare(entry.step), action: bare(entry.action), kind: entry.kind, waiting_since: entry.waiting_since, deadline: entry.deadline });
}

/** The entry of a run listed by visibility; null when the attribute is absent or not an entry. */
export function decodeInboxEntry(runId: string, text: unknown): InboxEntry | null {
  if (typeof text !== 'string' || text === '') return null;
  try {
    const parsed = JSON.parse(text) as Partial<InboxEntry>;
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.step !== 'string' || typeof parsed.action !== 'string') return null;
    return {
      run_id: runId,
      runbook: String(parsed.runbook ?? ''),
      title: String(parsed.title ?? parsed.runbook ?? ''),
      step: parsed.step,
      step_title: String(parsed.step_title ?? parsed.step),
      action: parsed.action,
      hint_type: typeof parsed.hint_type === 'string' ? parsed.hint_type : null,
      kind: parsed.kind === 'review' ? 'review' : 'signal',
      reason: typeof parsed.reason === 'string' ? parsed.reason : null,
      waiting_since: typeof parsed.waiting_since === 'string' ? parsed.waiting_since : null,
      deadline: typeof parsed.deadline === 'string' ? parsed.deadline : null,
      identity: parsed.identity && typeof parsed.identity === 'object' ? parsed.identity : {},
      parent: parsed.parent ?? null,
      started_by: typeof parsed.started_by === 'string' ? parsed.started_by : null,
    };
  } catch {
    return null;
  }
}
