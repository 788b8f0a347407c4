/**
 * yaml-runbook/testing: test your runbooks and handlers.
 *
 * - Runbook test cases (`*.test.yaml`, docs/testing.md): load them with located errors, run
 *   them in-process or on Temporal with handler and agent mocks, compare with a readable diff, report
 *   as text, JUnit XML or GitHub annotations. `runbook test` is built from these.
 * - Handler unit tests: `testHandler(handler, input, { attempt })`, `invokeHandler`.
 *
 * @example
 * import { loadRunbookLibrary, loadTestCase, createLocalTestRuntime, checkTestCase } from 'yaml-runbook/testing';
 * const library = await loadRunbookLibrary('runbooks');
 * const runtime = createLocalTestRuntime({ handlers: await loadHandlerRegistry('handlers') });
 * const outcome = await checkTestCase(runtime, loadTestCase('tests/close.test.yaml', { library }));
 * if (outcome.status === 'failed') console.log(outcome.verdict?.diff);
 */
export { TestCaseSchema } from './case-format.ts';
export type { TestCaseData, Expect, Mock, Mocks, MockErrorSpec, AgentMock, AgentMocks, AgentMockTurn, ScriptItem, StartSignal, StepsExpect, PendingExpect, RejectionCode } from './case-format.ts';
export { CASE_DIAGNOSTIC_CODES, TestCaseInvalidError } from './case-diagnostic.ts';
export type { CaseDiagnostic, CaseDiagnosticCode } from './case-diagnostic.ts';
export { loadRunbookLibrary, NO_RUNBOOKS } from './runbook-library.ts';
export type { RunbookLibrary } from './runbook-library.ts';
export { loadTestCase } from './load-case.ts';
export type { TestCase, LoadCaseOptions } from './load-case.ts';
export { findCaseFiles } from './find-cases.ts';
export type { HandlerCall } from './mock-handlers.ts';
export type { AgentCall } from './mock-agents.ts';
export type { TestRuntime, TestStartOptions } from './test-runtime.ts';
export { createLocalTestRuntime } from './local-test-runtime.ts';
export type { LocalTestRuntimeOptions } from './local-test-runtime.ts';
export { temporalTestRuntime } from './temporal.ts';
export type { TemporalTestRuntime, TemporalTestRuntimeOptions } from './temporal.ts';
export { runTestCase } from './run-case.ts';
export type { CaseRunResult, RunCaseOptions } from './run-case.ts';

export type { CaseVerdict } from './compare-case.ts';
export { checkTestCase, runTestSuite } from './run-suite.ts';
export type { CaseOutcome, SuiteOptions } from './run-suite.ts';
export { formatPretty } from './report-pretty.ts';
export type { SuiteReport } from './report-pretty.ts';
export { formatJunit } from './report-junit.ts';
export { formatGithub } from './report-github.ts';
export { testHandler, captureLogger } from './handler-harness.ts';
export type { TestHandlerOptions, HandlerTestResult, LogEntry } from './handler-harness.ts';
export { invokeHandler } from '../handlers/index.ts';
