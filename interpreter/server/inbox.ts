/**
 * The inbox, from the waiting runs' entries: filtered (runbook, step, action, free text), fan-out
 * children of one parent step rolled up into one item ("3 of 12 documents await review"), grouped
 * by what the runs wait for (the display hint's type, else the pending action). Pure.
 */
import type { InboxEntry } from '../index.ts';
import type { InboxGroup, InboxItem, InboxResponse } from './console-api.ts';

export interface InboxFilter {
  readonly runbook?: string;
  readonly step?: string;
  /** The pending action's name or its display hint's type (a group's key). */
  readonly action?: string;
  /** Case-insensitive text searched in titles, reason, run id, identity fields and who started the run. */
  readonly q?: string;
}

/** The key of the group an entry belongs to: `display_hint.type` when there is one, else the action. */
export function groupKeyOf(entry: InboxEntry): string {
  return entry.hint_type ?? entry.action;
}

/** `review_extraction` → `Review extraction`. */
export function labelOf(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

function searchableText(entry: InboxEntry): string {
  const identity = Object.entries(entry.identity).map(([key, value]) => `${key} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [entry.run_id, entry.runbook, entry.title, entry.step, entry.step_title, entry.action, entry.hint_type, entry.reason, entry.started_by, ...identity]
    .filter((part): part is string => typeof part === 'string')
    .join('\n')
    .toLowerCase();
}

export function matchesFilter(entry: InboxEntry, filter: InboxFilter): boolean {
  if (filter.runbook && entry.runbook !== filter.runbook) return false;
  if (filter.step && entry.step !== filter.step) return false;
  if (filter.action && entry.action !== filter.action && entry.hint_type !== filter.action) return false;
  const q = filter.q?.trim().toLowerCase();
  if (q) {
    const text = searchableText(entry);
    if (!q.split(/\s+/).every((word) => text.includes(word))) return false;
  }
  return true;
}

/** Oldest wait first; runs that do not say since when last, then by run id (a stable order). */
function byWaitingSince(a: InboxEntry, b: InboxEntry): number {
  if (a.waiting_since !== b.waiting_since) {
    if (a.waiting_since === null) return 1;
    if (b.waiting_since === null) return -1;
    return a.waiting_since < b.waiting_since ? -1 : 1;
  }
  return a.run_id < b.run_id ? -1 : a.run_id > b.run_id ? 1 : 0;
}

/** What the rolled-up children wait for, in words: `review`, `an upload`, or the action's label. */
function awaitedOf(entry: InboxEntry): string {
  if (entry.kind === 'review') return 'review';
  return labelOf(groupKeyOf(entry)).toLowerCase();
}

/** The rolled-up children's noun: the child runbook's title when it names a thing ("Ingest a document" → "documents"), else "runs of <title>". */
export function childNoun(title: string): string {
  const match = /^\w+\s+(?:a|an|one)\s+(\w+)$/i.exec(title.trim());
  if (match) return `${match[1]!.toLowerCase()}s`;
  return `runs of ${title}`;
}

/** The roll-up of fan-out children of one parent step waiting for the same thing. */
export function rollUp(children: readonly InboxEntry[]): InboxItem {
  const sorted = [...children].sort(byWaitingSince);
  const first = sorted[0]!;
  const total = Math.max(first.parent?.count ?? sorted.length, sorted.length);
  const label = `${sorted.length} of ${total} ${childNoun(first.title)} await ${awaitedOf(first)}`;
  return { ...first, rollup: { waiting: sorted.length, total, label, children: sorted } };
}

/** Items from entries: children of one parent step in one group become one roll-up; others stay as they are. */
export function itemsOf(entries: readonly InboxEntry[]): InboxItem[] {
  const items: InboxItem[] = [];
  const families = new Map<string, InboxEntry[]>();
  for (const entry of entries) {
    if (!entry.parent) {
      items.push(entry);
      continue;
    }
    const key = JSON.stringify([entry.parent.run_id, entry.parent.step, groupKeyOf(entry)]);
    const family = families.get(key);
    if (family) family.push(entry);
    else families.set(key, [entry]);
  }
  for (const family of families.values()) items.push(rollUp(family));
  return items.sort(byWaitingSince);
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** The inbox response: facets from every entry, then the filtered entries rolled up and grouped. */
export function buildInbox(entries: readonly InboxEntry[], filter: InboxFilter = {}): InboxResponse {
  const facets = {
    runbooks: sortedUnique(entries.map((entry) => entry.runbook)),
    steps: sortedUnique(entries.map((entry) => entry.step)),
    actions: sortedUnique(entries.map((entry) => entry.action)),
  };
  const byGroup = new Map<string, InboxEntry[]>();
  for (const entry of entries) {
    if (!matchesFilter(entry, filter)) continue;
    const key = groupKeyOf(entry);
    const members = byGroup.get(key);
    if (members) members.push(entry);
    else byGroup.set(key, [entry]);
  }
  const groups: InboxGroup[] = [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, members]) => ({ key, label: labelOf(key), items: itemsOf(members) }));
  return { groups, total: groups.reduce((sum, group) => sum + group.items.length, 0), facets };
}
