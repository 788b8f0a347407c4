/** `/runs`: recent runs, newest first, filterable by status and runbook. */
import { useId } from 'react';
import { api, type RunStatus } from '../../shared/api/index.ts';
import { durationBetween, formatDuration } from '../../shared/format.ts';
import { useRefreshOnReturn, useResource } from '../../shared/hooks.ts';
import { Link, navigate, useLocation } from '../../shared/router.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import { IdentityList } from '../../shared/ui/identity-list.tsx';
import { StatusBadge } from '../../shared/ui/status-badge.tsx';
import { DateTime } from '../../shared/ui/times.tsx';

const STATUSES: readonly RunStatus[] = ['running', 'waiting', 'completed', 'failed', 'cancelled'];

export function RunsPage() {
  const { search } = useLocation();
  const status = search.get('status') ?? '';
  const statusId = useId();
  const runs = useResource(`runs:${status}`, (signal) => api.runs({ status: status || undefined, limit: 100 }, signal));
  useRefreshOnReturn(runs.reload);
  return (
    <section className="page" aria-labelledby="runs-heading">
      <div className="page-head">
        <div>
          <h1 id="runs-heading">Recent runs</h1>
          <p className="page-sub">Newest first.</p>
        </div>
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} value={status} onChange={(event) => navigate(event.target.value ? `/runs?status=${event.target.value}` : '/runs', { replace: true })} data-testid="runs-filter-status">
            <option value="">Any</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
      </div>
      <ErrorNotice error={runs.error} title="The runs could not be loaded" />
      {runs.data && runs.data.runs.length === 0 ? <div className="empty"><p>No runs{status ? ` with status ${status}` : ''} yet.</p><p><Link to="/start">Start a run</Link></p></div> : null}
      {runs.data && runs.data.runs.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table runs-table" data-testid="runs-table">
            <caption className="sr-only">Recent runs</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Identity</th>
                <th scope="col">Status</th>
                <th scope="col">Current step</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.runs.map((run) => {
                const took = durationBetween(run.started_at, run.closed_at);
                return (
                  <tr key={run.run_id} data-testid="run-row">
                    <td>
                      <Link to={`/runs/${encodeURIComponent(run.run_id)}`}>{run.title}</Link>
                      <div className="muted small mono">{run.run_id}</div>
                      {run.parent_run_id ? <div className="muted small">child of <Link to={`/runs/${encodeURIComponent(run.parent_run_id)}`}>its parent run</Link></div> : null}
                    </td>
                    <td><IdentityList identity={run.identity} /></td>
                    <td><StatusBadge status={run.status} /></td>
                    <td>{run.step ?? <span className="muted">—</span>}</td>
                    <td><DateTime iso={run.started_at} /></td>
                    <td className="num">{took === null ? '—' : formatDuration(took)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
