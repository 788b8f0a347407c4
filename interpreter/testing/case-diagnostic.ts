/**
 * Problems in a test case file, located like a runbook's diagnostics (file:line:column, JSON
 * pointer, the source line) and printed by the same formatters. Codes are stable; tests assert
 * on them; docs/testing.md lists them.
 */
import type { SourceLocation } from '../loader/diagnostic.ts';

export const CASE_DIAGNOSTIC_CODES = {
  TEST_CASE_INVALID: 'The case does not follow the test case format (a missing, unknown or mistyped key).',
  TEST_YAML_SYNTAX: 'The case file is not valid YAML (or holds more than one document).',
  TEST_FILE_UNREADABLE: 'The case file, or a JSON file it names (input_file, payload_file), cannot be read or parsed.',
  TEST_RUNBOOK_UNKNOWN: 'The case names a runbook slug that is not in the runbooks directory.',
  TEST_RUNBOOK_INVALID: 'The runbook under test (inline, or its file) does not validate.',
  TEST_UNKNOWN_HANDLER: 'A mock or a `calls` expectation names a handler no step of the runbook calls.',
  TEST_UNKNOWN_AGENT: 'An agent mock or an `agents` expectation names an agent no step of the runbook invokes.',
  TEST_UNKNOWN_DOCUMENT: 'A `documents` seed names a document no step of the runbooks commits or reads, or `expect.documents` one no step commits.',
  TEST_UNKNOWN_STEP: 'A mock scope, script item or expectation names a step the runbook does not have (or one that does not call the mocked handler or invoke the mocked agent).',
  TEST_STEP_NEVER_PENDING: 'A script item names a step that never waits (not a review, wait or agent step), so it could never be applied.',
  TEST_UNKNOWN_SIGNAL: 'A signal the runbook does not declare (without `expect_rejection`, which tests the refusal).',
} as const;

export type CaseDiagnosticCode = keyof typeof CASE_DIAGNOSTIC_CODES;

export interface CaseDiagnostic extends SourceLocation {
  readonly code: CaseDiagnosticCode;
  readonly severity: 'error';
  readonly message: string;
}

/** A case file that cannot run: every problem found in it, located. */
export class TestCaseInvalidError extends Error {
  readonly code = 'TEST_CASE_INVALID';
  constructor(
    readonly file: string,
    readonly diagnostics: readonly CaseDiagnostic[],
  ) {
    super(`TEST_CASE_INVALID: ${file}: ${diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('; ')}`);
    this.name = 'TestCaseInvalidError';
  }
}
