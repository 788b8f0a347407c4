/** Times in the page: a `<time>` with the exact value in its title. */
import { formatDateTime, formatDuration, formatRelative } from '../format.ts';
import { useNow } from '../hooks.ts';

/** `5 min ago`, kept live by a local clock. */
export function RelativeTime({ iso, prefix }: { readonly iso: string | null | undefined; readonly prefix?: string }) {
  const now = useNow();
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {prefix}
      {formatRelative(iso, now)}
    </time>
  );
}

export function DateTime({ iso }: { readonly iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/** How long since `iso`: `3 h 5 min`, live. */
export function Elapsed({ iso }: { readonly iso: string | null | undefined }) {
  const now = useNow();
  const ms = iso ? now - Date.parse(iso) : Number.NaN;
  if (!iso || Number.isNaN(ms)) return <span>—</span>;
  const text = ms < 60_000 ? 'under a minute' : formatDuration(ms).replace(/ \d+ s$/, '');
  return <time dateTime={iso} title={`since ${formatDateTime(iso)}`}>{text}</time>;
}
