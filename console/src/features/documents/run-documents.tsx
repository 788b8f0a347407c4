/**
 * The run page's "Committed documents" section: what the run committed (`GET /api/runs/:id/documents`),
 * each with its key, version, time, the reviewer before the commit and its value, linking to every
 * version of its key. Loaded again when `refreshKey` changes (the app passes the commit steps' statuses).
 */
import { useId } from 'react';
import { api, type RunCommittedDocument } from '../../shared/api/index.ts';
import { useResource } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import { IdentityList } from '../../shared/ui/identity-list.tsx';
import { DateTime } from '../../shared/ui/times.tsx';
import { documentPath, humanDocumentName } from './document-path.ts';
import { DocumentValue } from './document-value.tsx';
import './documents.css';

export interface RunDocumentsSectionProps {
  readonly runId: string;
  /** Changes when the run may have committed more (the app: its commit steps' statuses). */
  readonly refreshKey: string;
  /** Step titles by id, to say which step committed. */
  readonly stepTitles: Readonly<Record<string, string>>;
  /** Whether the run is still going ("none yet" rather than "none"). */
  readonly live: boolean;
}

function CommittedDocument({ document, stepTitle }: { readonly document: RunCommittedDocument; readonly stepTitle: string }) {
  const headingId = useId();
  const superseded = document.versions > document.version;
  return (
    <article className="document-card" aria-labelledby={headingId} data-testid="run-document" data-document={document.document} data-version={document.version}>
      <div className="document-card-head">
        <h3 id={headingId}>
          {humanDocumentName(document.document)} <span className="muted small mono">{document.document}</span>
        </h3>
        <Link to={documentPath(document.document, document.key)} data-testid="run-document-versions">
          Versions of this key ({document.versions})
        </Link>
      </div>
      <IdentityList identity={document.key} />
      <dl className="facts document-facts">
        <div>
          <dt>Version</dt>
          <dd>
            {document.version}
            {superseded ? <span className="badge badge-interrupted document-superseded">superseded by version {document.versions}</span> : <span className="muted"> (latest)</span>}
          </dd>
        </div>
        <div><dt>Committed</dt><dd><DateTime iso={document.committed_at} /></dd></div>
        <div><dt>Reviewed by</dt><dd>{document.actor ?? <span className="muted">no review before it</span>}</dd></div>
        <div><dt>Step</dt><dd>{stepTitle}</dd></div>
      </dl>
      <DocumentValue value={document.value} caption={`${document.document}, version ${document.version}`} testId="run-document-value" />
    </article>
  );
}

export function RunDocumentsSection({ runId, refreshKey, stepTitles, live }: RunDocumentsSectionProps) {
  const headingId = useId();
  const documents = useResource(`run-documents:${runId}:${refreshKey}`, (signal) => api.runDocuments(runId, signal));
  const list = documents.data?.documents ?? null;
  return (
    <section className="panel documents-panel" aria-labelledby={headingId} data-testid="run-documents">
      <h2 id={headingId}>Committed documents</h2>
      <ErrorNotice error={documents.error} title="The committed documents could not be loaded" testId="run-documents-error" />
      {list === null && documents.loading ? <p role="status" className="muted">Loading the committed documents…</p> : null}
      {list && list.length === 0 ? (
        <p className="muted" data-testid="run-documents-empty">{live ? 'This run has committed no document yet.' : 'This run committed no document.'}</p>
      ) : null}
      {list && list.length > 0 ? (
        <div className="document-cards">
          {list.map((document) => (
            <CommittedDocument key={`${document.document}:${document.version}:${JSON.stringify(document.key)}`} document={document} stepTitle={stepTitles[document.step] ?? document.step} />
          ))}
        </div>
      ) : null}
    </section>
  );
}
