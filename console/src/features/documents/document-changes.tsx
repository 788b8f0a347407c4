/** What changed from one version of a document to the next, one line a field: `Totals › Debit: 1,000 → 1,500`. */
import type { DocumentChange } from '../../shared/api/index.ts';
import { pathLabel, scalarText } from './document-value.tsx';

const short = (value: unknown): string => {
  const text = scalarText(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

function ChangeLine({ change }: { readonly change: DocumentChange }) {
  const label = <span className="change-field">{pathLabel(change.path)}</span>;
  if (change.change === 'added') return <>{label}: added, <span className="change-after">{short(change.after)}</span></>;
  if (change.change === 'removed') return <>{label}: removed (was <span className="change-before">{short(change.before)}</span>)</>;
  return (
    <>
      {label}: <span className="change-before">{short(change.before)}</span> <span aria-hidden="true">→</span><span className="sr-only">changed to</span>{' '}
      <span className="change-after">{short(change.after)}</span>
    </>
  );
}

export function DocumentChanges({ changes, truncated, previous }: { readonly changes: readonly DocumentChange[]; readonly truncated: boolean; readonly previous: number }) {
  if (changes.length === 0) return <p className="muted small" data-testid="document-changes" data-count={0}>Same value as version {previous}.</p>;
  return (
    <div className="document-changes" data-testid="document-changes" data-count={changes.length}>
      <p className="small change-heading">Changed from version {previous}:</p>
      <ul className="change-list">
        {changes.map((change) => (
          <li key={`${change.change}:${change.path}`} data-path={change.path} data-change={change.change}>
            <ChangeLine change={change} />
          </li>
        ))}
      </ul>
      {truncated ? <p className="muted small">… and more (the list stops at {changes.length}; compare the values below).</p> : null}
    </div>
  );
}
