/**
 * `/editor/:slug`: one runbook file. The step list (reorder, insert, duplicate, delete) beside the
 * panel of the selected step, the YAML view below, saving at the top. Every change goes to the
 * server as an operation or a text to analyse; the answer's text and analysis replace the working
 * ones. An invalid file opens too: its text and diagnostics, the list as far as it parses.
 */
import { lazy, Suspense, useCallback, useMemo, useRef, useState } from 'react';
import { Plus } from 'lucide-react';
import { editorApi, type EditorDocument, type StepPosition } from '../../shared/api/index.ts';
import { useResource } from '../../shared/hooks.ts';
import { Link } from '../../shared/router.tsx';
import { ErrorNotice } from '../../shared/ui/error-notice.tsx';
import { countOf, DiagnosticBadges, DiagnosticList, plural } from './diagnostics.tsx';
import { FileChangedNotice, SavedNotice, SaveButtons, shortHash } from './save-panel.tsx';
import { StepList } from './step-list.tsx';
import { orderedTemplates, type StepActions } from './step-menu.tsx';
import { StepPanel } from './step-panel.tsx';
import { useEditorSession } from './use-editor-session.ts';
import { useServedHash } from './use-served-hash.ts';
import { useStableSteps, useStepDiagnostics } from './use-stable-steps.ts';
import { useUnsavedGuard } from './use-unsaved-guard.ts';
import type { YamlViewHandle } from './yaml-view.tsx';
import './editor.css';

const YamlView = lazy(() => import('./yaml-view.tsx'));

function Workspace({ initial }: { readonly initial: EditorDocument }) {
  const [doc, setDoc] = useState(initial);
  const session = useEditorSession(initial, setDoc);
  const served = useServedHash(doc.slug, doc.served_hash, session.saved?.hash ?? null);
  const steps = useStableSteps(session.analysis.steps);
  const { byStep, unplaced } = useStepDiagnostics(session.analysis.diagnostics);
  const [selected, setSelected] = useState<string | null>(null);
  const [insertTemplate, setInsertTemplate] = useState('');
  const yamlRef = useRef<YamlViewHandle>(null);
  useUnsavedGuard(session.dirty);
  const { apply } = session;
  const stepIds = useRef<readonly string[]>([]);
  stepIds.current = steps?.map((step) => step.id) ?? [];

  /** Applies an operation that adds a step, then selects the step it added. */
  const applyAndSelectNew = useCallback(async (operation: Parameters<typeof apply>[0][number]): Promise<void> => {
    const before = new Set(stepIds.current);
    if (!(await apply([operation]))) return;
    // The answer's outline renders before the next task: read the ids it brought.
    window.setTimeout(() => {
      const added = stepIds.current.find((id) => !before.has(id));
      if (added) setSelected(added);
    }, 0);
  }, [apply]);

  const actions: StepActions = useMemo(() => ({
    select: (id: string) => setSelected(id),
    remove: (id: string) => { void apply([{ op: 'delete', step: id }]).then((ok) => { if (ok) setSelected((was) => (was === id ? null : was)); }); },
    duplicate: (id: string) => { void applyAndSelectNew({ op: 'duplicate', step: id }); },
    insert: (template: string, at: StepPosition) => { void applyAndSelectNew({ op: 'insert', template, at }); },
  }), [apply, applyAndSelectNew]);
  const move = useCallback(async (id: string, index: number): Promise<void> => { await apply([{ op: 'move', step: id, to: { index } }]); }, [apply]);
  const showLine = useCallback((line: number) => yamlRef.current?.showLine(line), []);

  const selectedStep = steps?.find((step) => step.id === selected) ?? null;
  const templates = useMemo(() => orderedTemplates(doc.templates), [doc.templates]);
  const { errors, warnings } = countOf(session.analysis.diagnostics);
  return (
    <section className="page editor-page" aria-labelledby="editor-heading">
      <p className="breadcrumb"><Link to="/editor">Editor</Link> / {doc.path}</p>
      <div className="page-head editor-head">
        <div>
          <h1 id="editor-heading">Edit {doc.slug}</h1>
          <p className="page-sub">
            <span data-testid="editor-served-hash" data-hash={served.hash ?? ''}>
              {served.hash ? <>The worker serves <code>{shortHash(served.hash)}</code></> : 'No version of it is served (the file has errors or is new)'}
            </span>
            {' · '}
            <span data-testid="editor-status" data-dirty={session.dirty || undefined} data-valid={session.analysis.valid || undefined}>
              {session.dirty ? 'Unsaved changes' : 'No unsaved changes'}
              {session.busy ? ' · checking…' : ` · checked in ${session.analysis.elapsed_ms} ms`}
            </span>
            {errors || warnings ? <> · <DiagnosticBadges diagnostics={session.analysis.diagnostics} /></> : <> · <span className="badge badge-completed">valid</span></>}
          </p>
        </div>
        <SaveButtons session={session} />
      </div>
      {session.restored ? <p className="notice" role="status">Your unsaved changes to this file were kept from before.</p> : null}
      <ErrorNotice error={session.error} title="That change was not made" testId="editor-error" />
      <FileChangedNotice session={session} />
      <SavedNotice session={session} served={served} />
      {unplaced.length ? (
        <div className="panel panel-failed" data-testid="editor-file-diagnostics">
          <h2>{plural(unplaced.length, 'problem')} outside the steps</h2>
          <DiagnosticList diagnostics={unplaced} onLine={showLine} />
        </div>
      ) : null}
      <div className="editor-columns">
        <section className="editor-list" aria-labelledby="editor-steps-heading">
          <h2 id="editor-steps-heading">Steps{steps ? <span className="count">{steps.length}</span> : null}</h2>
          {steps && templates.length ? (
            <form className="insert-form" data-testid="editor-insert" onSubmit={(event) => {
              event.preventDefault();
              const template = insertTemplate || templates[0]?.name;
              const last = steps[steps.length - 1];
              if (template && last) actions.insert(template, selected ? { after: selected } : { after: last.id });
            }}>
              <label htmlFor="editor-insert-template">Insert a step</label>
              <select id="editor-insert-template" value={insertTemplate} onChange={(event) => setInsertTemplate(event.target.value)} data-testid="editor-insert-template">
                {templates.map((template) => <option key={template.name} value={template.name}>{template.label}</option>)}
              </select>
              <button type="submit" className="button button-secondary" disabled={session.busy} data-testid="editor-insert-submit">
                <Plus size={16} aria-hidden="true" /> {selectedStep ? `After ${selectedStep.title ?? selectedStep.id}` : 'At the end'}
              </button>
              <span className="muted small">or from a step's menu (⋮), e.g. a review before a commit</span>
            </form>
          ) : null}
          {steps ? (
            <StepList steps={steps} diagnosticsOf={byStep} selected={selected} templates={templates} actions={actions} busy={session.busy} move={move} />
          ) : (
            <div className="notice notice-error" data-testid="editor-no-steps">
              <strong className="notice-title">This text has no step list the editor can read</strong>
              The file is shown below as it is, with its problems (listed above) on their lines. Fix it there; the steps come back as soon as it parses.
            </div>
          )}
        </section>
        <aside className="editor-side" aria-label="Selected step">
          {selectedStep ? (
            <StepPanel key={selectedStep.id} step={selectedStep} text={session.text} diagnostics={byStep(selectedStep.id)} apply={apply} onShowLine={showLine} />
          ) : (
            <div className="panel muted">
              <p>Select a step (its title) to edit it here.</p>
              <p className="small">Reorder by dragging a step's handle, or focus the handle and press Space, then the arrow keys.</p>
            </div>
          )}
        </aside>
      </div>
      <section className="editor-yaml" aria-labelledby="editor-yaml-heading">
        <div className="panel-head">
          <h2 id="editor-yaml-heading">The file: {doc.path}</h2>
          <span className="muted small">Edits here are checked as you type, as CI checks them.</span>
        </div>
        <Suspense fallback={<pre className="json" data-testid="editor-yaml-loading">{session.text}</pre>}>
          <YamlView ref={yamlRef} text={session.text} diagnostics={session.analysis.diagnostics} onChange={session.editText} label={`YAML of ${doc.path}`} />
        </Suspense>
      </section>
    </section>
  );
}

export function EditorPage({ slug }: { readonly slug: string }) {
  const doc = useResource(`editor:${slug}`, (signal) => editorApi.open(slug, signal));
  if (!doc.data) {
    return (
      <section className="page">
        <p className="breadcrumb"><Link to="/editor">Editor</Link></p>
        <h1>Edit {slug}</h1>
        {doc.error ? <ErrorNotice error={doc.error} title="The runbook file could not be opened" testId="editor-open-error" /> : <p role="status">Loading…</p>}
      </section>
    );
  }
  return <Workspace initial={doc.data} />;
}
