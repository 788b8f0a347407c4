/**
 * The loader and validator: YAML runbook files → typed, validated runbooks, or
 * located diagnostics with stable codes (docs/diagnostics.md).
 */
export { loadRunbookSource } from './load-runbook.ts';
export type { LoadOptions, LoadResult, LoadedRunbook } from './load-runbook.ts';
export { validateRunbookFiles } from './validate-files.ts';
export type { ValidateOptions, ValidationReport } from './validate-files.ts';
export { expandRunbookPaths, PathNotFoundError, DEFAULT_RUNBOOKS_DIR } from './expand-paths.ts';
export { formatDiagnosticsPretty, formatDiagnosticsJson, formatDiagnosticsGithub } from './format-diagnostics.ts';
export { DIAGNOSTIC_CODES, hasErrors } from './diagnostic.ts';
export type { Diagnostic, DiagnosticCode, Severity, SourceLocation, RelatedLocation } from './diagnostic.ts';
export { DEFAULT_MAX_BYTES } from './decode-source.ts';
export { MAX_DEPTH, MAX_ALIAS_COUNT, FORBIDDEN_KEYS } from './yaml-document.ts';
export { runbookSchema } from './runbook-schema.ts';
export { RUNBOOK_CHECKS } from './checks/index.ts';
export type { RunbookCheck, CheckContext } from './checks/index.ts';
