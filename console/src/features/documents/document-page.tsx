/**
 * `/documents/:name?key.<field>=<value>...`: every version of one document key, newest first, each
 * with the run that committed it (a link to its page), the reviewer before the commit, the time,
 * what changed from the version before and its value. From `GET /api/documents/:name/versions`.
 */
import { useEffect, useId, useMemo } from 'react';
import { api, type DocumentVersionWithChanges } from '../../shared/api/index.ts';
import { useRefreshOnReturn, useResource } from '../../shared/hooks.ts';
import { Link, useLocation } from '../../shared/router.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import { IdentityList } from '../../shared/ui/identity-list.tsx';
import { DateTime } from '../../shared/ui/times.tsx';
import { DocumentChanges } from './document-changes.tsx';
import { humanDocumentName, keyOfSearch } from './document-path.ts';
import { DocumentValue } from './document-value.tsx';
import './documents.css';

function Version({ version, latest }: { readonly version: DocumentVersionWithChanges; readonly latest: boolean }) {
  const headingId = useId();
  const caption = `${version.document}, version ${version.version}`;
  const value = <DocumentValue value={version.value} caption={caption} testId="document-value" />;
  return (
    <li data-testid="document-version" data-version={version.version} data-run-id={version.run_id}>
      <article className="document-card" aria-labelledby={headingId}>
        <div className="document-card-head">
          <h2 id={headingId}>
            Version {version.version} {latest ? <span className="badge badge-completed">latest</span> : null}
          </h2>
        </div>
        <dl className="facts document-facts">
          <div><dt>Committed</dt><dd><DateTime iso={version.committed_at} /></dd></div>
          <div><dt>Reviewed by</dt><dd>{version.actor ?? <span className="muted">no review before it</span>}</dd></div>
          <div><dt>Definition</dt><dd className="mono small" title={version.definition_hash}>{version.definition_hash.slice(0, 12)}</dd></div>
          <div>
            <dt>Run</dt>
            <dd>
              <Link to={`/runs/${encodeURIComponent(version.run_id)}`} data-testid="document-version-run">{version.run_id}</Link>
              <span className="muted small"> ({version.runbook}, step {version.step})</span>
            </dd>
          </div>
        </dl>
        {version.changes ? <DocumentChanges changes={version.changes} truncated={version.changes_truncated} previous={version.version - 1} /> : <p className="muted small">The first version of this key.</p>}
        {latest ? value : (
          <details className="document-older-value">
            <summary>Value of version {version.version}</summary>
            {value}
          </details>
        )}
      </article>
    </li>
  );
}

export function DocumentPage({ name }: { readonly name: string }) {
  const { search } = useLocation();
  const query = search.toString();
  const key = useMemo(() => keyOfSearch(new URLSearchParams(query)), [query]);
  const history = useResource(`document:${name}?${query}`, (signal) => api.documentVersions(name, key, signal));
  useRefreshOnReturn(history.reload);
  const title = humanDocumentName(name);
  useEffect(() => {
    document.title = `${title} · Runbook console`;
  }, [title]);
  const versions = history.data ? [...history.data.versions].reverse() : null;
  return (
    <section className="page" aria-labelledby="document-heading">
      <p className="breadcrumb"><Link to="/runs">Runs</Link> / committed documents /</p>
      <div className="page-head">
        <div>
          <h1 id="document-heading">{title}</h1>
          <p className="muted small mono">{name}</p>
          <IdentityList identity={history.data?.key ?? key} />
        </div>
      </div>
      <ErrorNotice error={history.error} title="The versions could not be loaded" testId="document-error" />
      {!history.data && history.loading ? <p role="status">Loading…</p> : null}
      {versions ? (
        <>
          <p className="page-sub" data-testid="document-version-count">
            {versions.length === 1 ? 'One version.' : `${versions.length} versions, newest first.`} A version is stored each time a run commits this key.
          </p>
          <ol className="document-versions" data-testid="document-versions">
            {versions.map((version, index) => <Version key={version.version} version={version} latest={index === 0} />)}
          </ol>
        </>
      ) : null}
    </section>
  );
}
