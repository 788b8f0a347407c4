/** Diagnostics for people (pretty, with the line and a caret), machines (JSON) and GitHub Actions annotations. */
import type { Diagnostic } from './diagnostic.ts';

/** What the formatters print: a Diagnostic, or another located problem with its own code (e.g. a test case's). */
export type PrintableDiagnostic = Omit<Diagnostic, 'code'> & { readonly code: string };

/**
 * `file:line:col: error CODE message`, then the source line and a caret under the column.
 *
 * @example
 * process.stderr.write(formatDiagnosticsPretty(report.diagnostics));
 */
export function formatDiagnosticsPretty(diagnostics: readonly PrintableDiagnostic[]): string {
  return diagnostics.map(prettyOne).join('');
}

function prettyOne(d: PrintableDiagnostic): string {
  const lines = [`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}`];
  if (d.sourceLine !== undefined) lines.push(...excerpt(d.sourceLine, d.column));
  for (const related of d.related ?? []) {
    lines.push(`  ${related.file}:${related.line}:${related.column}: note: ${related.message}`);
    if (related.sourceLine !== undefined) lines.push(...excerpt(related.sourceLine, related.column).map((line) => `  ${line}`));
  }
  return lines.join('\n') + '\n';
}

const WIDTH = 160;

/** The line (tabs shown as one space so the caret lines up, long lines windowed around the column) and a caret under the column. */
function excerpt(sourceLine: string, column: number): string[] {
  const shown = sourceLine.replace(/\t/g, ' ');
  if (column - 1 > shown.length) return [`  ${shown.slice(0, WIDTH)}${shown.length > WIDTH ? '…' : ''}`];
  const start = Math.max(0, Math.min(column - 1 - WIDTH / 2, shown.length - WIDTH));
  const window = (start > 0 ? '…' : '') + shown.slice(start, start + WIDTH) + (start + WIDTH < shown.length ? '…' : '');
  const caret = column - 1 - start + (start > 0 ? 1 : 0);
  return [`  ${window}`, `  ${' '.repeat(Math.max(0, caret))}^`];
}

/** The diagnostics as a JSON array (one object per diagnostic, all fields). */
export function formatDiagnosticsJson(diagnostics: readonly PrintableDiagnostic[]): string {
  return JSON.stringify(diagnostics, null, 2) + '\n';
}

/** GitHub Actions workflow commands: `::error file=…,line=…,col=…::CODE message`. */
export function formatDiagnosticsGithub(diagnostics: readonly PrintableDiagnostic[]): string {
  return diagnostics
    .map((d) => `::${d.severity} file=${escapeProperty(d.file)},line=${d.line},col=${d.column},title=${d.code}::${escapeData(`${d.code} ${d.message}`)}\n`)
    .join('');
}

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
