/**
 * Diagnostics: every problem the loader and validator find, as data.
 * Each has a stable code (catalogued below and in docs/diagnostics.md), a JSON
 * pointer into the document and a file:line:column.
 */

export type Severity = 'error' | 'warning';

/** A place in a file, 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly pointer: string;
  readonly line: number;
  readonly column: number;
  readonly sourceLine?: string;
}

/** A second place that explains a diagnostic (e.g. where the step that runs later is). */
export interface RelatedLocation extends SourceLocation {
  readonly message: string;
}

export interface Diagnostic extends SourceLocation {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly related?: readonly RelatedLocation[];
}

/** The stable codes, with what each means. Tests assert on these; docs/diagnostics.md lists them. */
export const DIAGNOSTIC_CODES = {
  RB_EMPTY: 'The file is empty or holds only comments.',
  RB_TOO_LARGE: 'The file is larger than the size limit (--max-bytes, default 1 MiB).',
  RB_ENCODING: 'The file is not valid UTF-8 text (invalid byte sequence or NUL byte).',
  RB_YAML_SYNTAX: 'The YAML does not parse.',
  RB_YAML_WARNING: 'The YAML parser warned (e.g. an unknown tag); the value may not be what you meant.',
  RB_MULTIPLE_DOCUMENTS: 'The file holds more than one YAML document (---); a runbook is one document.',
  RB_DUPLICATE_KEY: 'A mapping has the same key twice.',
  RB_ALIAS_LIMIT: 'Too many YAML alias expansions (a possible alias bomb).',
  RB_TOO_DEEP: 'The document nests deeper than the limit (64 levels).',
  RB_NOT_MAPPING: 'The document is not a mapping (key: value pairs) at the top level.',
  RB_FORBIDDEN_KEY: 'A key named __proto__, constructor or prototype.',
  RB_UNKNOWN_KEY: 'A key the runbook format does not define at that place.',
  RB_STEP_KIND: 'A step has none, or more than one, of call, review, wait, child, timer, commit, previous.',
  RB_SCHEMA_REQUIRED: 'A required property is missing.',
  RB_SCHEMA_TYPE: 'A value has the wrong type.',
  RB_SCHEMA_PATTERN: 'A string does not have the required form (identifier, slug, duration, expression...).',
  RB_SCHEMA_ENUM: 'A value is not one of the allowed values.',
  RB_SCHEMA_RANGE: 'A value is too small, too large, too short or has too few items.',
  RB_SCHEMA_KEY_PATTERN: 'A map key (e.g. a signal name) does not have the required form.',
  RB_SCHEMA: 'Any other JSON Schema violation.',
  RB_DUPLICATE_STEP_ID: 'Two steps have the same id.',
  RB_UNKNOWN_HANDLER: 'A call step names a handler that is not registered.',
  RB_UNKNOWN_AGENT: 'An agent step names an agent that is not registered.',
  RB_HANDLER_ARGS: 'Static call arguments do not satisfy the handler\'s input contract.',
  RB_AGENT_INPUT: 'A static agent step input does not satisfy the agent\'s input contract.',
  RB_UNKNOWN_SIGNAL: 'A wait step waits for a signal the runbook does not declare.',
  RB_EXPRESSION_SYNTAX: 'A {% JSONata %} expression does not compile.',
  RB_EXPRESSION_FORBIDDEN: 'An expression uses $eval, which compiles code at run time: not available in runbooks.',
  RB_REGEX_UNSUPPORTED: 'A regex literal RE2 cannot compile (a look-around, a back-reference): expressions match regexes in linear time with RE2 semantics.',
  RB_INVALID_JSON_SCHEMA: 'An input, signal payload or corrections schema is not a valid JSON Schema.',
  RB_STEP_ORDER: 'An expression reads $steps.X but step X does not run before it (it is later, or the step itself).',
  RB_UNKNOWN_STEP_REF: 'An expression or goto names a step id that does not exist.',
  RB_GOTO_NOT_EARLIER: 'A goto target is not an earlier step.',
  RB_IDENTITY_UNKNOWN_FIELD: 'The runbook\'s identity names a field that is not a property of its input schema.',
  RB_SOD_STEP_UNKNOWN: 'A review\'s separation_of_duties.exclude_actors_of names a step that does not exist.',
  RB_SOD_STEP_NOT_EARLIER_REVIEW: 'A review\'s separation_of_duties.exclude_actors_of names a step that is not a review before it.',
  RB_DUPLICATE_SLUG: 'Two runbook files have the same slug.',
  RB_UNKNOWN_CHILD: 'A child step names a runbook slug that is not loaded.',
  RB_CHILD_INPUT: 'A child step\'s static input lacks properties the child runbook\'s input schema requires.',
  RB_CHILD_CYCLE: 'Child runbooks dispatch each other in a cycle.',
  RB_UNKNOWN_DOCUMENT: 'A previous step reads a document that no runbook of the set commits.',
  RB_DOCUMENT_KEY_FIELD: 'A previous step\'s where or before names a field that is not a key field of the document.',
  RB_DOCUMENT_KEY_MISMATCH: 'Two commit steps of one document (in one runbook or two) use different key fields.',
  RB_DUPLICATE_SCHEDULE_ID: 'Two schedules of a runbook have the same id.',
  RB_SCHEDULE_SPEC: 'A schedule has neither or both of cron and every.',
  RB_SCHEDULE_CRON: 'A schedule\'s cron expression is not one Temporal can read (5 fields, values in range, or @daily and the like).',
  RB_SCHEDULE_TIMEZONE: 'A schedule\'s timezone is not an IANA time zone name.',
  RB_READ_FAILED: 'The file could not be read.',
  RB_INTERNAL: 'The validator itself failed on this file (a bug: please report it with the file).',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/**
 * A diagnostic before it is placed in the file: checks report pointers, the
 * loader turns them into lines and columns.
 */
export interface PendingDiagnostic {
  readonly code: DiagnosticCode;
  readonly severity?: Severity;
  readonly message: string;
  readonly pointer: string;
  /** Point at the key of the last pointer segment (unknown keys) rather than the value. */
  readonly at?: 'key' | 'value';
  /** Character offset inside the string value (expression errors). */
  readonly offset?: number;
  readonly related?: readonly PendingRelated[];
}

export interface PendingRelated {
  readonly message: string;
  readonly pointer: string;
  readonly at?: 'key' | 'value';
  /** Another file; default the diagnostic's own file. */
  readonly file?: string;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
