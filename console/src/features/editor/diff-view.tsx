/**
 * The text diff before a save (and after a refused one): CodeMirror's merge view, side by side,
 * both sides read-only, unchanged stretches collapsed. Loaded with the dialog that shows it.
 */
import { useEffect, useRef } from 'react';
import { yaml } from '@codemirror/lang-yaml';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { editorTheme } from './codemirror-theme.ts';

interface DiffViewProps {
  readonly original: string;
  readonly modified: string;
  readonly originalLabel: string;
  readonly modifiedLabel: string;
  readonly testId?: string;
}

const side = (doc: string, label: string) => ({
  doc,
  extensions: [
    lineNumbers(), yaml(), syntaxHighlighting(defaultHighlightStyle), editorTheme,
    EditorState.readOnly.of(true), EditorView.editable.of(false),
    EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
  ],
});

export default function DiffView({ original, modified, originalLabel, modifiedLabel, testId = 'editor-diff' }: DiffViewProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return undefined;
    const view = new MergeView({
      parent: host.current,
      a: side(original, originalLabel),
      b: side(modified, modifiedLabel),
      collapseUnchanged: { margin: 3, minSize: 6 },
      gutter: true,
    });
    return () => view.destroy();
  }, [original, modified, originalLabel, modifiedLabel]);
  const same = original === modified;
  return (
    <div className="diff-view" data-testid={testId} data-same={same || undefined}>
      <div className="diff-labels" aria-hidden="true"><span>{originalLabel}</span><span>{modifiedLabel}</span></div>
      {same ? <p className="muted">No difference: the texts are the same.</p> : null}
      <div ref={host} className="diff-host" />
    </div>
  );
}
