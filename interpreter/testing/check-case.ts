/**
 * The names a case uses, checked against its runbooks before anything runs: mocked handlers
 * and `calls` are handlers some step calls, mocked agents and `agents` are agents some step
 * invokes, mock scopes and script steps are steps that exist (and call that handler, invoke
 * that agent, or wait), signals are declared, seeded and expected documents are committed or read by some step. Each problem is located, with a did-you-mean.
 */
import type { Runbook, Step } from '../format/runbook-format.ts';
import { didYouMean } from '../loader/did-you-mean.ts';
import { toPointer, type PathSegment } from '../loader/json-pointer.ts';
import type { SourceLocator } from '../loader/source-locator.ts';
import type { ResolvedDefinition } from '../runtime/definition-source.ts';
import type { CaseDiagnostic, CaseDiagnosticCode } from './case-diagnostic.ts';
import { locate } from './case-issues.ts';
import type { AgentMock, Mock, TestCaseData } from './case-format.ts';

/** `root` and every runbook it dispatches, transitively, from `available` (root first). */
export function reachableDefinitions(root: ResolvedDefinition, available: ReadonlyMap<string, ResolvedDefinition>): ResolvedDefinition[] {
  const found = new Map<string, ResolvedDefinition>([[root.runbook.slug, root]]);
  const queue = [root];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const step of next.runbook.steps) {
      if (!('child' in step)) continue;
      const child = available.get(step.child.runbook);
      if (child && !found.has(child.runbook.slug)) {
        found.set(child.runbook.slug, child);
        queue.push(child);
      }
    }
  }
  return [...found.values()];
}

const handlerOf = (step: Step): string | undefined => ('call' in step ? step.call.handler : undefined);
const agentOf = (step: Step): string | undefined => ('agent' in step ? step.agent.name : undefined);
/** Steps that can be pending: a review, a wait, an agent that asks. */
const waits = (step: Step): boolean => 'review' in step || 'wait' in step || 'agent' in step;

/** The list of mocks of one handler (or agent). */
export function mockList<M extends Mock | AgentMock>(value: M | readonly M[]): readonly M[] {
  return Array.isArray(value) ? value : [value as M];
}

export function checkCaseNames(data: TestCaseData, definitions: readonly ResolvedDefinition[], locator: SourceLocator): CaseDiagnostic[] {
  const problems: CaseDiagnostic[] = [];
  const report = (code: CaseDiagnosticCode, message: string, path: readonly PathSegment[], at: 'key' | 'value' = 'value'): void => {
    problems.push(locate(locator, code, message, toPointer(path), at));
  };
  const root: Runbook = definitions[0].runbook;
  const allSteps = definitions.flatMap((definition) => definition.runbook.steps);
  const called = new Set(allSteps.flatMap((step) => handlerOf(step) ?? []));
  const rootSteps = new Map(root.steps.map((step) => [step.id, step]));
  const stepIds = new Set(allSteps.map((step) => step.id));
  const declared = Object.keys(root.signals ?? {});
  const slugs = definitions.map((definition) => definition.runbook.slug).join(', ');

  const checkHandler = (name: string, path: readonly PathSegment[]): boolean => {
    if (called.has(name)) return true;
    report('TEST_UNKNOWN_HANDLER', `no step of ${slugs} calls handler "${name}"${didYouMean(name, called)}`, path, 'key');
    return false;
  };
  for (const [name, value] of Object.entries(data.mocks ?? {})) {
    if (!checkHandler(name, ['mocks', name])) continue;
    const callers = allSteps.filter((step) => handlerOf(step) === name).map((step) => step.id);
    mockList(value).forEach((mock, index) => {
      if (mock.step === undefined || callers.includes(mock.step)) return;
      const path = Array.isArray(value) ? ['mocks', name, index, 'step'] : ['mocks', name, 'step'];
      const why = stepIds.has(mock.step) ? `step "${mock.step}" does not call ${name}` : `no step "${mock.step}"`;
      report('TEST_UNKNOWN_STEP', `${why}; ${name} is called by ${callers.join(', ')}${didYouMean(mock.step, callers)}`, path);
    });
  }
  for (const name of Object.keys(data.expect.calls ?? {})) checkHandler(name, ['expect', 'calls', name]);

  const invoked = new Set(allSteps.flatMap((step) => agentOf(step) ?? []));
  const checkAgent = (name: string, path: readonly PathSegment[]): boolean => {
    if (invoked.has(name)) return true;
    const known = invoked.size > 0 ? '' : ` (no step of ${slugs} invokes an agent)`;
    report('TEST_UNKNOWN_AGENT', `no step of ${slugs} invokes agent "${name}"${didYouMean(name, invoked) || known}`, path, 'key');
    return false;
  };
  for (const [name, value] of Object.entries(data.agents ?? {})) {
    if (!checkAgent(name, ['agents', name])) continue;
    const callers = allSteps.filter((step) => agentOf(step) === name).map((step) => step.id);
    mockList(value).forEach((mock, index) => {
      if (mock.step === undefined || callers.includes(mock.step)) return;
      const path = Array.isArray(value) ? ['agents', name, index, 'step'] : ['agents', name, 'step'];
      const why = stepIds.has(mock.step) ? `step "${mock.step}" does not invoke ${name}` : `no step "${mock.step}"`;
      report('TEST_UNKNOWN_STEP', `${why}; ${name} is invoked by ${callers.join(', ')}${didYouMean(mock.step, callers)}`, path);
    });
  }
  for (const name of Object.keys(data.expect.agents ?? {})) checkAgent(name, ['expect', 'agents', name]);

  // Documents: a seed is one some step commits or reads (`previous`), an expected commit one some step commits.
  const committedDocs = new Set(allSteps.flatMap((step) => ('commit' in step ? [step.commit.document] : [])));
  const readDocs = new Set(allSteps.flatMap((step) => ('previous' in step ? [step.previous.document] : [])));
  const usedDocs = new Set([...committedDocs, ...readDocs]);
  const noneOf = (set: ReadonlySet<string>, what: string): string => (set.size > 0 ? '' : ` (no step of ${slugs} ${what} a document)`);
  (data.documents ?? []).forEach((seed, index) => {
    if (usedDocs.has(seed.document)) return;
    report('TEST_UNKNOWN_DOCUMENT', `no step of ${slugs} commits or reads document "${seed.document}"${didYouMean(seed.document, usedDocs) || noneOf(usedDocs, 'commits or reads')}`, ['documents', index, 'document']);
  });
  (data.expect.documents ?? []).forEach((expected, index) => {
    if (committedDocs.has(expected.document)) return;
    report('TEST_UNKNOWN_DOCUMENT', `no step of ${slugs} commits document "${expected.document}"${didYouMean(expected.document, committedDocs) || noneOf(committedDocs, 'commits')}`, ['expect', 'documents', index, 'document']);
  });

  const checkRootStep = (id: string, path: readonly PathSegment[], mustWait: boolean, at: 'key' | 'value' = 'value'): void => {
    const step = rootSteps.get(id);
    if (!step) report('TEST_UNKNOWN_STEP', `runbook ${root.slug} has no step "${id}"${didYouMean(id, rootSteps.keys())}`, path, at);
    else if (mustWait && !waits(step)) report('TEST_STEP_NEVER_PENDING', `step "${id}" is not a review, wait or agent step: it is never pending, so this item could never be sent`, path);
  };
  const checkSignal = (name: string, rejected: boolean, path: readonly PathSegment[]): void => {
    if (rejected || declared.includes(name)) return;
    const known = declared.length > 0 ? ` (declared: ${declared.join(', ')})` : ' (it declares none)';
    report('TEST_UNKNOWN_SIGNAL', `runbook ${root.slug} does not declare signal "${name}"${didYouMean(name, declared) || known}; add expect_rejection: SIGNAL_UNKNOWN to test the refusal`, path);
  };
  (data.signals ?? []).forEach((item, index) => checkSignal(item.signal, item.expect_rejection !== undefined, ['signals', index, 'signal']));
  (data.script ?? []).forEach((item, index) => {
    checkRootStep(item.step, ['script', index, 'step'], true);
    if ('signal' in item) checkSignal(item.signal, item.expect_rejection !== undefined, ['script', index, 'signal']);
  });

  const { expect } = data;
  if (expect.error?.step) checkRootStep(expect.error.step, ['expect', 'error', 'step'], false);
  (expect.pending_actions ?? []).forEach((pending, index) => checkRootStep(pending.step, ['expect', 'pending_actions', index, 'step'], true));
  if (Array.isArray(expect.steps)) expect.steps.forEach((pair, index) => checkRootStep(pair[0], ['expect', 'steps', index, 0], false));
  else for (const id of Object.keys(expect.steps ?? {})) checkRootStep(id, ['expect', 'steps', id], false, 'key');
  return problems;
}
