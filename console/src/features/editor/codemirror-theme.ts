/** CodeMirror's look in the console: the app's font, border and colours, gutters readable (contrast over 4.5:1). */
import { EditorView } from '@codemirror/view';

export const editorTheme = EditorView.theme({
  '&': { fontSize: '0.85rem', border: '1px solid var(--border-strong)', borderRadius: 'var(--radius)', background: '#fff' },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-gutters': { background: '#f4f6f8', color: '#4b5563', borderRight: '1px solid var(--border)' },
  '.cm-activeLineGutter': { background: '#e3ebf7', color: 'var(--text)' },
  '.cm-activeLine': { background: 'rgba(31, 95, 191, 0.06)' },
  '.cm-tooltip-lint': { fontFamily: 'system-ui, sans-serif' },
});
