/**
 * The editor's validation: a working text checked exactly as `runbook validate` checks the file
 * (schema, semantic checks, reorder safety, handler contracts, and the cross-file checks against the
 * other files of the runbooks directory: child slugs, duplicate slugs), with its steps outlined for
 * the step list. Node side (it reads the other files).
 */
import { readFile } from 'node:fs/promises';
import { expandRunbookPaths, outlineSteps, validateRunbookFiles, type Diagnostic, type HandlerRegistry, type StepOutline } from '../../index.ts';
import type { EditorAnalysis, EditorDiagnostic } from '../console-api.ts';
import { declaredSlug } from './editor-files.ts';

export interface EditorValidatorOptions {
  readonly runbooksDir: string;
  /** The handlers calls are checked against; null skips handler checks (a project without handlers). */
  readonly handlers: HandlerRegistry | null;
}

const STEP_POINTER = /^\/steps\/(\d+)(?:\/|$)/;

function stepOf(diagnostic: Diagnostic, steps: readonly StepOutline[] | null): string | null {
  const match = STEP_POINTER.exec(diagnostic.pointer);
  if (!match || !steps) return null;
  return steps[Number(match[1])]?.id ?? null;
}

export function editorDiagnosticOf(diagnostic: Diagnostic, steps: readonly StepOutline[] | null): EditorDiagnostic {
  return {
    code: diagnostic.code,
    severity: diagnostic.severity,
    message: diagnostic.message,
    line: diagnostic.line,
    column: diagnostic.column,
    pointer: diagnostic.pointer,
    step: stepOf(diagnostic, steps),
    related: (diagnostic.related ?? []).map((related) => ({ message: related.message, line: related.line, column: related.column, file: related.file })),
  };
}

/** Validates `text` as the content of `file` (a file of the runbooks directory, or a new one in it). */
export async function analyzeText(options: EditorValidatorOptions, file: string, text: string): Promise<EditorAnalysis> {
  const started = performance.now();
  const others = (await expandRunbookPaths([options.runbooksDir]).catch(() => [] as string[])).filter((path) => path !== file);
  const bytes = Buffer.from(text, 'utf8');
  const report = await validateRunbookFiles([file], {
    handlers: options.handlers,
    referencePaths: others,
    readFile: async (path) => (path === file ? bytes : readFile(path)),
  });
  const steps = outlineSteps(text);
  const diagnostics = report.diagnostics.filter((diagnostic) => diagnostic.file === file).map((diagnostic) => editorDiagnosticOf(diagnostic, steps));
  return {
    slug: declaredSlug(text),
    valid: !diagnostics.some((diagnostic) => diagnostic.severity === 'error'),
    diagnostics,
    steps,
    elapsed_ms: Math.round((performance.now() - started) * 10) / 10,
  };
}
