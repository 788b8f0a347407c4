/**
 * The example of issue 12: a journal proposal drafted by a local A2A agent that asks one question is
 * answered, reviewed and posted, in-process and on Temporal (runbooks/journal-draft-by-agent.yaml,
 * agents/index.ts; the agent is the scripted A2A server of test/support/agent-servers.ts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { loadAgentRegistry, type AgentRegistry } from '../../interpreter/agents/index.ts';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { createLocalTestRuntime, temporalTestRuntime, type TestRuntime } from '../../interpreter/testing/index.ts';
import { REPO_ROOT } from '../conformance/cases.ts';
import { startA2aAgent, type AgentServer } from '../support/agent-servers.ts';
import { runbookOf } from '../support/inline-runbook.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';

after(closeTestTemporal);

let drafter: AgentServer;
let agents: AgentRegistry;
let dataDir: string;
const saved = { url: process.env.JOURNAL_DRAFTER_URL, data: process.env.RUNBOOK_DATA_DIR };

before(async () => {
  drafter = await startA2aAgent();
  process.env.JOURNAL_DRAFTER_URL = drafter.url;
  dataDir = await mkdtemp(join(tmpdir(), 'runbook-journal-agent-'));
  process.env.RUNBOOK_DATA_DIR = dataDir;
  agents = await loadAgentRegistry(join(REPO_ROOT, 'agents'));
});
after(async () => {
  await drafter?.close();
  for (const [key, value] of [['JOURNAL_DRAFTER_URL', saved.url], ['RUNBOOK_DATA_DIR', saved.data]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

for (const name of ['in-process', 'Temporal'] as const) {
  describe(`journal drafted by an agent ${name}`, () => {
    let runtime: TestRuntime;
    before(async () => {
      const handlers = await loadHandlerRegistry(join(REPO_ROOT, 'handlers'));
      if (name === 'in-process') runtime = createLocalTestRuntime({ handlers, agents });
      else {
        const temporal = await getTestTemporal();
        runtime = await temporalTestRuntime({ connection: await temporal.connection(), nativeConnection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue: temporal.taskQueue('journal-agent'), handlers, agents });
      }
    });
    after(async () => runtime?.close());

    test('the agent asks which account, the answer goes back, the draft is reviewed and posted', async () => {
      const definition = runbookOf(parse(await readFile(join(REPO_ROOT, 'runbooks', 'journal-draft-by-agent.yaml'), 'utf8')));
      const input = { ...JSON.parse(await readFile(join(REPO_ROOT, 'runbooks', 'journal-draft-by-agent.input.json'), 'utf8')), entity: `acme-${name === 'Temporal' ? 't' : 'l'}` };
      const run = await runtime.start([definition], definition.runbook.slug, input, `journal-agent-${name === 'Temporal' ? 't' : 'l'}-${process.pid}-${Date.now()}`, { startedBy: 'carol@example.com' });

      const question = await run.waitForPendingAction();
      assert.equal(question?.kind, 'agent');
      assert.equal(question.action, 'answer_drafter');
      assert.match(question.reason ?? '', /Which expense account .* Northwind Cleaning/);
      assert.equal((question.display_hint as { type: string }).type, 'agent_question');
      await run.userAction({ action: 'answered', step: 'draft_journal', payload: { account: '6100' }, actor: 'alice@example.com' });

      const review = await run.waitForPendingAction();
      assert.equal(review?.kind, 'review');
      assert.equal(review.step, 'review_journal');
      const payload = review.payload as { journal: { lines: { account: string; debit: number }[] }; agent_questions: { actor: string }[] };
      assert.deepEqual(payload.journal.lines.map((line) => line.account), ['6100', '2100']);
      assert.equal(payload.agent_questions[0]?.actor, 'alice@example.com');
      await run.userAction({ action: 'approved', step: 'review_journal', actor: 'bob@example.com' });

      const output = (await run.result()) as { status: string; totals: { debit: number; credit: number }; answered_by: string; approved_by: string };
      assert.equal(output.status, 'posted');
      assert.deepEqual({ debit: output.totals.debit, credit: output.totals.credit }, { debit: 1200, credit: 1200 });
      assert.equal(output.answered_by, 'alice@example.com');
      assert.equal(output.approved_by, 'bob@example.com');
    });
  });
}
