/**
 * `/`: every run waiting on a person, grouped by what it waits for. Fresh on arrival, when the tab
 * comes back into view, and on the Refresh button; no polling loop (the server offers no inbox stream).
 */
import { useCallback } from 'react';
import { RefreshCw } from 'lucide-react';
import { api, type InboxQuery } from '../../shared/api/index.ts';
import { useRefreshOnReturn, useResource } from '../../shared/hooks.ts';
import { navigate, useLocation } from '../../shared/router.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import { InboxFilters } from './inbox-filters.tsx';
import { InboxItemCard } from './inbox-item.tsx';

const FILTER_KEYS = ['runbook', 'step', 'action', 'q'] as const;

function filtersOf(search: URLSearchParams): InboxQuery {
  const filters: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

export function InboxPage() {
  const { search } = useLocation();
  const filters = filtersOf(search);
  const key = JSON.stringify(filters);
  const inbox = useResource(key, (signal) => api.inbox(filters, signal));
  useRefreshOnReturn(inbox.reload);
  const setFilters = useCallback((next: InboxQuery) => {
    const params = new URLSearchParams();
    for (const name of FILTER_KEYS) if (next[name]) params.set(name, next[name] ?? '');
    const text = params.toString();
    navigate(text ? `/?${text}` : '/', { replace: true });
  }, []);
  const data = inbox.data;
  return (
    <section aria-labelledby="inbox-heading" className="page">
      <div className="page-head">
        <div>
          <h1 id="inbox-heading">Inbox</h1>
          <p className="page-sub" role="status" data-testid="inbox-total">
            {data ? (data.total === 1 ? '1 run waits on a person' : `${data.total} runs wait on a person`) : 'Loading…'}
          </p>
        </div>
        <button type="button" className="button button-quiet" onClick={inbox.reload} disabled={inbox.loading} data-testid="inbox-refresh">
          <RefreshCw size={16} aria-hidden="true" /> Refresh
        </button>
      </div>
      <InboxFilters filters={filters} facets={data?.facets ?? null} onChange={setFilters} />
      <ErrorNotice error={inbox.error} title="The inbox could not be loaded" />
      {data && data.groups.length === 0 ? (
        <div className="empty" data-testid="inbox-empty">
          <p><strong>Nothing waits on anyone{key !== '{}' ? ' with these filters' : ''}.</strong></p>
          <p className="muted">Runs that wait for a review or an upload appear here.</p>
        </div>
      ) : null}
      {data?.groups.map((group) => (
        <section key={group.key} className="inbox-group" aria-labelledby={`group-${group.key}`} data-testid={`inbox-group-${group.key}`}>
          <h2 id={`group-${group.key}`} className="group-heading">
            {group.label} <span className="count" aria-label={`${group.items.length} items`}>{group.items.length}</span>
          </h2>
          <ul className="inbox-list">
            {group.items.map((item) => <InboxItemCard key={item.run_id} item={item} />)}
          </ul>
        </section>
      ))}
    </section>
  );
}
