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

/** The entry without its run id (visibility has it), shortened to fit a Keyword. */
export function encodeInboxEntry(entry: InboxEntry): string {
  const identity: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(entry.identity)) {
    identity[shorten(field, VALUE_CHARS)] = typeof value === 'string' ? shorten(value, VALUE_CHARS) : typeof value === 'object' && value !== null ? '…' : value;
  }
  const { run_id: _runId, ...rest } = entry;
  const compact = {
    ...rest,
    title: shorten(entry.title, VALUE_CHARS * 2),
    step_title: shorten(entry.step_title, VALUE_CHARS * 2),
    reason: entry.reason === null ? null : shorten(entry.reason, REASON_CHARS),
    started_by: entry.started_by === null ? null : shorten(entry.started_by, VALUE_CHARS * 2),
    identity,
  };
  let text = JSON.stringify(compact);
  if (text.length > MAX_CHARS) text = JSON.stringify({ ...compact, identity: {}, reason: compact.reason && shorten(compact.reason, 80) });
  if (text.length > MAX_CHARS) text = JSON.stringify({ ...compact, identity: {}, reason: null, title: shorten(compact.title, 40), step_title: shorten(compact.step_title, 40), started_by: null });
  return text;
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
