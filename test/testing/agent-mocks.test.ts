/**
 * Agent mocks in test cases (`agents:`), on both runtimes through the library's runner: a result
 * (output, text, usage), a question the script answers or declines, a sequence of turns, the
 * failure types, step scopes, unmocked agents running for real, and a mocked output meeting the
 * real agent's contract; `expect.agents` records each turn. Unknown agent names and bad mocks are
 * located errors. Each passing case is also checked to fail when its expectation is wrong.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { AgentRegistry, defineAgent } from '../../interpreter/agents/index.ts';
import { checkTestCase, createLocalTestRuntime, temporalTestRuntime, TestCaseInvalidError, type CaseDiagnostic, type TestCase, type TestRuntime } from '../../interpreter/testing/index.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { caseOf, calcHandlers } from './case-files.ts';

after(closeTestTemporal);

/** The real agent: its contract checks mocked answers; unmocked, its stub adapter completes with "real". */
const agents = new AgentRegistry([
  defineAgent({
    name: 'test.drafter',
    input: z.object({ entity: z.string() }),
    output: z.object({ summary: z.string() }),
    adapter: { kind: 'stub', target: 'in memory', run: async () => ({ state: 'completed', output: { summary: 'real' }, text: 'Real.', files: [], usage: { tokens: 1 } }) },
  }),
]);

const RUNBOOK = `runbook:
  slug: agent-mocked
  title: Agent mocked
  steps:
    - id: draft
      title: Draft
      agent:
        name: test.drafter
        input: { entity: '{% $input.entity %}' }
        timeout: 2s
        poll_interval: 50ms
        retry: { max_attempts: 2, initial_interval: 100ms }
        budget: { tokens: 1000 }
        on_error:
          - type: AGENT_BUDGET_EXCEEDED
            then: { fail: 'over budget: {% $result.error.message %}' }
    - id: check
      title: Check
      agent: { name: test.drafter, input: { entity: second }, timeout: 2s, poll_interval: 50ms }
  output:
    summary: '{% $steps.draft.output.summary %}'
    text: '{% $steps.draft.text %}'
    tokens: '{% $steps.draft.usage.tokens %}'
    questions: '{% $steps.draft.questions %}'
    check: '{% $steps.check.output.summary %}'
input: { entity: acme }
`;

const ASK = `{ question: Which period?, schema: { type: object, required: [period], properties: { period: { type: string } } } }`;

for (const name of ['in-process', 'Temporal'] as const) {
  describe(`agent mocks ${name}`, () => {
    let runtime: TestRuntime;
    before(async () => {
      if (name === 'in-process') runtime = createLocalTestRuntime({ handlers: calcHandlers, agents });
      else {
        const temporal = await getTestTemporal();
        runtime = await temporalTestRuntime({ connection: await temporal.connection(), nativeConnection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue: temporal.taskQueue('agent-mocks'), handlers: calcHandlers, agents });
      }
    });
    after(async () => runtime?.close());

    const outcomeOf = (testCase: TestCase) => checkTestCase(runtime, testCase, { timeoutMs: 15_000 });
    const passes = async (text: string): Promise<void> => {
      const outcome = await outcomeOf(caseOf(text));
      assert.equal(outcome.status, 'passed', outcome.verdict?.diff ?? outcome.error);
    };
    const failsWith = async (text: string, diffLine: RegExp): Promise<void> => {
      const outcome = await outcomeOf(caseOf(text));
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.verdict?.diff ?? '', diffLine);
    };

    test('a result gives the output, text and usage; an unmocked step asks the real agent; expect.agents lists each task with its input', async () => {
      const text = `${RUNBOOK}agents:\n  test.drafter:\n    step: draft\n    result: { output: { summary: mocked }, text: Drafted., usage: { tokens: 12, cost: 0.1 } }\nexpect:\n  output: { summary: mocked, text: Drafted., tokens: 12, questions: [], check: real }\n  agents:\n    test.drafter: [{ step: draft, input: { entity: acme } }, { step: check, input: { entity: second } }]\n`;
      await passes(text);
      await failsWith(text.replace('summary: mocked, text', 'summary: other, text'), /^- {3}summary: other$/m);
    });

    test("a mocked output meets the real agent's contract: AGENT_OUTPUT_INVALID otherwise", async () => {
      await passes(`${RUNBOOK}agents:\n  test.drafter: { result: { output: { summary: 42 } } }\nexpect:\n  error: { step: draft, type: AGENT_OUTPUT_INVALID, message_includes: summary }\n`);
    });

    test('a question the script answers (a refused answer first): a pending action of kind agent, the answer sent back on the task', async () => {
      const text = `${RUNBOOK}agents:\n  test.drafter:\n    - { step: draft, ask: ${ASK}, result: { output: { summary: after the answer } } }\n    - { result: { output: { summary: checked } } }\nscript:\n  - { step: draft, action: answered, payload: { month: March }, expect_rejection: ANSWER_INVALID }\n  - { step: draft, action: approved, expect_rejection: NOT_A_REVIEW }\n  - { step: draft, action: answered, payload: { period: '2026-03' }, actor: ana@example.com }\nexpect:\n  output_includes: { summary: after the answer, questions: [{ question: Which period?, answer: { period: '2026-03' }, actor: ana@example.com }], check: checked }\n  pending_actions:\n    - { step: draft, action: answer_agent, kind: agent, reason: Which period? }\n  agents:\n    test.drafter: [{ step: draft, input: { entity: acme } }, { step: draft, answer: { period: '2026-03' } }, { step: check }]\n`;
      await passes(text);
      await failsWith(text.replace("answer: { period: '2026-03' } }, { step: check", "answer: { period: '2026-04' } }, { step: check"), /period: '?2026-04'?/);
    });

    test('a question the script declines: the mocked task is cancelled with the reason, the step fails with AGENT_DECLINED', async () => {
      await passes(`${RUNBOOK}agents:\n  test.drafter: { ask: ${ASK}, result: { output: { summary: never } } }\nscript:\n  - { step: draft, action: declined, payload: { period: x }, expect_rejection: ACTION_INVALID }\n  - { step: draft, action: declined, comment: not this period, actor: ana@example.com }\nexpect:\n  error: { step: draft, type: AGENT_DECLINED, message_includes: "ana@example.com declined agent test.drafter's question: not this period; its task was cancelled" }\n  steps: [[draft, failed], [check, pending]]\n  agents:\n    test.drafter: [{ step: draft }, { step: draft, cancelled: true, reason: not this period }]\n`);
    });

    test('turns: a sequence across the case (two questions, then a result); a turn past the end fails with MOCK_EXHAUSTED', async () => {
      const turns = `turns:\n      - { ask: { question: Which period? } }\n      - { ask: { question: Which entity?, usage: { tokens: 5 } } }\n      - { result: { output: { summary: after two }, usage: { tokens: 30 } } }\n`;
      await passes(`${RUNBOOK}agents:\n  test.drafter:\n    step: draft\n    ${turns}script:\n  - { step: draft, action: answered, payload: March }\n  - { step: draft, action: answered, payload: acme }\nexpect:\n  output_includes: { summary: after two, tokens: 30, questions: [{ question: Which period?, answer: March }, { question: Which entity?, answer: acme }], check: real }\n  pending_actions:\n    - { step: draft, action: answer_agent, kind: agent, reason: Which period? }\n    - { step: draft, action: answer_agent, kind: agent, reason: Which entity? }\n  agents: { test.drafter: 4 }\n`);
      await passes(`${RUNBOOK}agents:\n  test.drafter: { turns: [{ result: { output: { summary: once } } }] }\nexpect:\n  error: { step: check, type: MOCK_EXHAUSTED }\n`);
    });

    test('failure types: AGENT_TIMEOUT fails the step, AGENT_BUDGET_EXCEEDED (raised, or usage over the budget) is routed by on_error, AGENT_UNAVAILABLE is retried', async () => {
      await passes(`${RUNBOOK}agents:\n  test.drafter: { error: { type: AGENT_TIMEOUT, message: the agent took too long } }\nexpect:\n  error: { step: draft, type: AGENT_TIMEOUT, message_includes: the agent took too long }\n  agents: { test.drafter: 1 }\n`);
      await passes(`${RUNBOOK}agents:\n  test.drafter: { step: draft, error: { type: AGENT_BUDGET_EXCEEDED } }\nexpect:\n  error: { step: draft, type: AGENT_BUDGET_EXCEEDED, message_includes: 'over budget: mocked AGENT_BUDGET_EXCEEDED from agent test.drafter' }\n`);
      await passes(`${RUNBOOK}agents:\n  test.drafter: { step: draft, result: { output: { summary: costly }, usage: { tokens: 5000 } } }\nexpect:\n  error: { step: draft, type: AGENT_BUDGET_EXCEEDED, message_includes: 'budget is 1000' }\n`);
      await passes(`${RUNBOOK}agents:\n  test.drafter:\n    step: draft\n    turns: [{ error: { type: AGENT_UNAVAILABLE } }, { result: { output: { summary: second try } } }]\nexpect:\n  output_includes: { summary: second try }\n  agents: { test.drafter: 3 }\n`);
      await passes(`${RUNBOOK}agents:\n  test.drafter: { error: { type: AGENT_FAILED, message: ledger closed } }\nexpect:\n  error: { step: draft, type: AGENT_FAILED, message_includes: ledger closed }\n`);
    });

    test('an agent neither mocked nor registered fails with AGENT_UNKNOWN', async () => {
      const unknown = `runbook:\n  slug: agent-unregistered\n  title: Unregistered\n  steps:\n    - { id: ask, title: Ask, agent: { name: test.nobody, input: {} } }\n`;
      await passes(`${unknown}expect:\n  error: { step: ask, type: AGENT_UNKNOWN, message_includes: 'agent "test.nobody" is not registered (registered: ' }\n`);
      await passes(`${unknown}agents:\n  test.nobody: { result: { output: { any: thing } } }\nexpect:\n  output: { ask: { status: completed, output: { any: thing }, text: '', files: [], usage: {}, questions: [] } }\n`);
    });
  });
}

describe('agent mocks in a case file: located errors', () => {
  const problemsOf = (text: string): CaseDiagnostic[] => {
    try {
      caseOf(text);
    } catch (error) {
      if (error instanceof TestCaseInvalidError) return [...error.diagnostics];
      throw error;
    }
    return [];
  };
  const brief = (d: CaseDiagnostic): string => `${d.code} ${d.line}:${d.column} ${d.pointer}`;

  test('an agent no step invokes is TEST_UNKNOWN_AGENT with a did-you-mean, a scope is a step that invokes it, script items on an agent step are fine', () => {
    const problems = problemsOf(`${RUNBOOK}agents:\n  test.draftr: { result: {} }\n  test.drafter: { step: chek, result: {} }\nscript:\n  - { step: draft, action: answered, payload: x }\nexpect:\n  agents: { test.nobody: 1 }\n`);
    assert.deepEqual(problems.map(brief), ['TEST_UNKNOWN_AGENT 28:3 /agents/test.draftr', 'TEST_UNKNOWN_STEP 29:25 /agents/test.drafter/step', 'TEST_UNKNOWN_AGENT 33:13 /expect/agents/test.nobody']);
    assert.match(problems[0].message, /no step of agent-mocked invokes agent "test\.draftr" \(did you mean "test\.drafter"\?\)/);
    assert.match(problems[1].message, /no step "chek"; test\.drafter is invoked by draft, check \(did you mean "check"\?\)/);
  });

  test('a mock gives exactly one of result, error, turns; error types are the agent failures a mock may raise; ask goes in turns', () => {
    const problems = problemsOf(`${RUNBOOK}agents:\n  test.drafter:\n    - { result: {}, error: { type: AGENT_FAILED } }\n    - { error: { type: AGENT_DECLINED } }\n    - { ask: { question: x }, turns: [{ result: {} }] }\n    - { step: draft }\nexpect: {}\n`);
    assert.deepEqual(problems.map((d) => d.code), ['TEST_CASE_INVALID', 'TEST_CASE_INVALID', 'TEST_CASE_INVALID', 'TEST_CASE_INVALID']);
    const messages = problems.map((d) => d.message).join('\n');
    assert.match(messages, /exactly one of result, error, turns \(it gives result and error\)/);
    assert.match(messages, /AGENT_FAILED.*AGENT_TIMEOUT.*AGENT_BUDGET_EXCEEDED/s);
    assert.match(messages, /with turns, a question is one of the turns/);
  });
});
