/** `/editor`: the runbook files of the runbooks directory, each with whether it validates; one opens in the editor. */
import { editorApi } from '../../shared/api/index.ts';
import { useResource } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import './editor.css';

export function EditorListPage() {
  const files = useResource('editor-files', (signal) => editorApi.files(signal));
  return (
    <section className="page" aria-labelledby="editor-list-heading">
      <div className="page-head">
        <div>
          <h1 id="editor-list-heading">Edit a runbook</h1>
          <p className="page-sub">Reorder and edit steps; every change is checked as CI checks it, and saving shows the diff first.</p>
        </div>
      </div>
      <ErrorNotice error={files.error} title="The runbook files could not be listed" />
      {files.data && !files.data.files.length ? <p className="empty">The runbooks directory has no runbook files.</p> : null}
      <ul className="card-list">
        {files.data?.files.map((file) => (
          <li key={file.slug} className="card" data-testid={`editor-file-${file.slug}`}>
            <h2 className="card-title"><Link to={`/editor/${encodeURIComponent(file.slug)}`}>{file.title ?? file.slug}</Link></h2>
            <p className="muted small mono">{file.path}</p>
            <p>{file.valid ? <span className="badge badge-completed">valid</span> : <span className="badge badge-failed">has errors</span>}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
