/** Dates and durations as people read them; the ISO value stays in `dateTime` attributes and titles. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

const parse = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
};

/** `12 Jan 2025, 14:05`, or an em dash. */
export function formatDateTime(iso: string | null | undefined): string {
  const ms = parse(iso);
  return ms === null ? '—' : dateTime.format(ms);
}

/** `14:05:09`. */
export function formatTime(iso: string | null | undefined): string {
  const ms = parse(iso);
  return ms === null ? '—' : timeOnly.format(ms);
}

/** A span in ms as `850 ms`, `12 s`, `4 min 3 s`, `2 h 10 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return s % 60 ? `${min} min ${s % 60} s` : `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** Between two ISO times (the second defaults to now), or null when the first is unknown. */
export function durationBetween(from: string | null | undefined, to: string | null | undefined, now = Date.now()): number | null {
  const start = parse(from);
  if (start === null) return null;
  return (parse(to) ?? now) - start;
}

/** `for 3 h 5 min` style relative time: `5 min ago`, `in 2 d 3 h`, `just now`. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  const ms = parse(iso);
  if (ms === null) return '—';
  const delta = ms - now;
  if (Math.abs(delta) < 45_000) return 'just now';
  const span = formatDuration(Math.abs(delta)).replace(/ \d+ s$/, '');
  return delta < 0 ? `${span} ago` : `in ${span}`;
}

/** `entity: acme-uk · period: 2025-01` values as a short label list. */
export function identityPairs(identity: Readonly<Record<string, unknown>> | undefined): Array<[string, string]> {
  return Object.entries(identity ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
}

/** `review_extraction` → `Review extraction`. */
export function humanize(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
