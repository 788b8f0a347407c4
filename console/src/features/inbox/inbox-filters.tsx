/** The inbox's filters: runbook, step and action from the response's facets, and free text. */
import { useEffect, useId, useState } from 'react';
import type { InboxQuery, InboxResponse } from '../../shared/api/index.ts';

interface Props {
  readonly filters: InboxQuery;
  readonly facets: InboxResponse['facets'] | null;
  readonly onChange: (filters: InboxQuery) => void;
}

function FacetSelect({ label, name, value, options, onChange }: {
  readonly label: string; readonly name: string; readonly value: string | undefined; readonly options: readonly string[]; readonly onChange: (value: string) => void;
}) {
  const id = useId();
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value ?? ''} onChange={(event) => onChange(event.target.value)} data-testid={`inbox-filter-${name}`}>
        <option value="">All</option>
        {all.map((option) => <option key={option} value={option}>{option}</option>)}
      </select>
    </div>
  );
}

export function InboxFilters({ filters, facets, onChange }: Props) {
  const textId = useId();
  const [text, setText] = useState(filters.q ?? '');
  useEffect(() => setText(filters.q ?? ''), [filters.q]);
  // Typing narrows the list once the person pauses, not on every key (one request per pause).
  useEffect(() => {
    if (text === (filters.q ?? '')) return undefined;
    const id = window.setTimeout(() => onChange({ ...filters, q: text || undefined }), 300);
    return () => window.clearTimeout(id);
  }, [text, filters, onChange]);
  const active = Boolean(filters.runbook || filters.step || filters.action || filters.q);
  return (
    <form className="filters" role="search" aria-label="Filter the inbox" onSubmit={(event) => { event.preventDefault(); onChange({ ...filters, q: text || undefined }); }}>
      <div className="field field-grow">
        <label htmlFor={textId}>Search</label>
        <input id={textId} type="search" value={text} placeholder="Entity, period, reason…" onChange={(event) => setText(event.target.value)} data-testid="inbox-filter-text" />
      </div>
      <FacetSelect label="Runbook" name="runbook" value={filters.runbook} options={facets?.runbooks ?? []} onChange={(runbook) => onChange({ ...filters, runbook: runbook || undefined })} />
      <FacetSelect label="Step" name="step" value={filters.step} options={facets?.steps ?? []} onChange={(step) => onChange({ ...filters, step: step || undefined })} />
      <FacetSelect label="Action" name="action" value={filters.action} options={facets?.actions ?? []} onChange={(action) => onChange({ ...filters, action: action || undefined })} />
      {active ? (
        <button type="button" className="button button-quiet" onClick={() => { setText(''); onChange({}); }}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
