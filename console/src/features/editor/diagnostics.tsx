/** Diagnostics as the editor shows them: a badge per severity and the message with its code and line. */
import { memo } from 'react';
import { CircleAlert, TriangleAlert } from 'lucide-react';
import type { EditorDiagnostic } from '../../shared/api/index.ts';

export function countOf(diagnostics: readonly EditorDiagnostic[]): { readonly errors: number; readonly warnings: number } {
  let errors = 0;
  for (const diagnostic of diagnostics) if (diagnostic.severity === 'error') errors += 1;
  return { errors, warnings: diagnostics.length - errors };
}

export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

export function DiagnosticBadges({ diagnostics }: { readonly diagnostics: readonly EditorDiagnostic[] }) {
  const { errors, warnings } = countOf(diagnostics);
  return (
    <>
      {errors ? <span className="badge badge-failed">{plural(errors, 'error')}</span> : null}
      {warnings ? <span className="badge badge-interrupted">{plural(warnings, 'warning')}</span> : null}
    </>
  );
}

export const DiagnosticList = memo(function DiagnosticList({ diagnostics, onLine }: { readonly diagnostics: readonly EditorDiagnostic[]; readonly onLine?: (line: number) => void }) {
  if (!diagnostics.length) return null;
  return (
    <ul className="diagnostics">
      {diagnostics.map((diagnostic, index) => (
        <li key={`${diagnostic.code}-${diagnostic.line}-${diagnostic.column}-${index}`} className={`diagnostic diagnostic-${diagnostic.severity}`} data-testid="editor-diagnostic" data-code={diagnostic.code} data-severity={diagnostic.severity}>
          {diagnostic.severity === 'error' ? <CircleAlert size={16} aria-label="Error" role="img" /> : <TriangleAlert size={16} aria-label="Warning" role="img" />}
          <span>
            <code className="error-code">{diagnostic.code}</code> {diagnostic.message}{' '}
            {onLine ? (
              <button type="button" className="button-link small" onClick={() => onLine(diagnostic.line)}>line {diagnostic.line}</button>
            ) : (
              <span className="muted small">line {diagnostic.line}</span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
});
