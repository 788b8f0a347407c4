/**
 * The working text in CodeMirror 6: YAML highlighting, the diagnostics on their lines (lint gutter
 * and underlines), editable. Typing calls `onChange`; a text that changed elsewhere (an operation)
 * is dispatched as the smallest replacement, so the cursor and scroll stay where they were.
 */
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Annotation, EditorState, type Text } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import type { EditorDiagnostic } from '../../shared/api/index.ts';
import { editorTheme } from './codemirror-theme.ts';

const external = Annotation.define<boolean>();

export interface YamlViewHandle {
  /** Scrolls to a 1-based line, selects it and focuses the editor. */
  readonly showLine: (line: number) => void;
}

/** Position of a 1-based line and column, clamped into the document. */
function positionOf(doc: Text, line: number, column: number): number {
  const at = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(at.from + Math.max(0, column - 1), at.to);
}

function lintOf(doc: Text, diagnostics: readonly EditorDiagnostic[]): Diagnostic[] {
  return diagnostics.map((diagnostic) => {
    const from = positionOf(doc, diagnostic.line, diagnostic.column);
    const lineEnd = doc.lineAt(from).to;
    return { from, to: Math.max(from, lineEnd), severity: diagnostic.severity, source: diagnostic.code, message: diagnostic.message };
  });
}

/** The one replacement that turns `before` into `after`: common prefix and suffix kept. */
function smallestChange(before: string, after: string): { from: number; to: number; insert: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start += 1;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore -= 1;
    endAfter -= 1;
  }
  return { from: start, to: endBefore, insert: after.slice(start, endAfter) };
}

interface YamlViewProps {
  readonly text: string;
  readonly diagnostics: readonly EditorDiagnostic[];
  readonly onChange: (text: string) => void;
  readonly label: string;
  readonly ref?: Ref<YamlViewHandle>;
}

export default function YamlView({ text, diagnostics, onChange, label, ref }: YamlViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!host.current) return undefined;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text,
        extensions: [
          lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), history(), lintGutter(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          yaml(), syntaxHighlighting(defaultHighlightStyle), editorTheme,
          EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((tr) => tr.annotation(external))) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => { created.destroy(); view.current = null; };
    // The view is made once; later texts arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const current = view.current;
    if (!current) return;
    const now = current.state.doc.toString();
    if (now !== text) current.dispatch({ changes: smallestChange(now, text), annotations: external.of(true) });
    current.dispatch(setDiagnostics(current.state, lintOf(current.state.doc, diagnostics)));
  }, [text, diagnostics]);

  useImperativeHandle(ref, () => ({
    showLine: (line: number) => {
      const current = view.current;
      if (!current) return;
      const at = current.state.doc.line(Math.min(Math.max(1, line), current.state.doc.lines));
      current.dispatch({ selection: { anchor: at.from, head: at.to }, effects: EditorView.scrollIntoView(at.from, { y: 'center' }) });
      current.focus();
    },
  }), []);

  return <div ref={host} className="yaml-view" data-testid="editor-yaml" />;
}
