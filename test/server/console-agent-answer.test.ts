/**
 * Answering an agent's question through the console API: `POST /api/runs/:id/action` with
 * `action: answered` and the answer as `payload` (the in-process backend, the example
 * journal-draft-by-agent with the scripted A2A agent); a bad answer is refused with its code.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadAgentRegistry } from '../../interpreter/agents/index.ts';
import { startA2aAgent, type AgentServer } from '../support/agent-servers.ts';
import { ROOT } from '../support/run-cli.ts';
import { startConsole, type ConsoleFixture } from './console-fixture.ts';

let drafter: AgentServer;
let fx: ConsoleFixture;
let dataDir: string;
const saved = { url: process.env.JOURNAL_DRAFTER_URL, data: process.env.RUNBOOK_DATA_DIR };
before(async () => {
  drafter = await startA2aAgent();
  process.env.JOURNAL_DRAFTER_URL = drafter.url;
  dataDir = await mkdtemp(join(tmpdir(), 'console-agent-'));
  process.env.RUNBOOK_DATA_DIR = dataDir;
  fx = await startConsole({ agents: await loadAgentRegistry(join(ROOT, 'agents')) });
});
after(async () => {
  await fx?.close();
  await drafter?.close();
  for (const [key, value] of [['JOURNAL_DRAFTER_URL', saved.url], ['RUNBOOK_DATA_DIR', saved.data]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let count = 0;
async function startDraft(): Promise<string> {
  const input = JSON.parse(await readFile(join(ROOT, 'runbooks', 'journal-draft-by-agent.input.json'), 'utf8')) as Record<string, unknown>;
  const runId = `console-agent-${process.pid}-${++count}`;
  fx.runtime.start('journal-draft-by-agent', { ...input, entity: `acme-${count}` }, { runId });
  return runId;
}

test("the agent's question is pending with its display hint, and an answered action carries the answer back", async () => {
  const runId = await startDraft();
  const pending = await fx.waitingAt(runId, 'draft_journal');
  assert.equal(pending.kind, 'agent');
  const hint = pending.display_hint as { type: string; question: string; schema: { required: string[] } };
  assert.equal(hint.type, 'agent_question');
  assert.deepEqual(hint.schema.required, ['account']);
  // Answering is acting, as on a review: offered to the operator (the local person here).
  const page = (await fx.get(`/api/runs/${runId}`)).json() as { can: { act: boolean; act_blocked_reason: string | null } };
  assert.equal(page.can.act, true);
  assert.equal(page.can.act_blocked_reason, null);
  const answered = await fx.post(`/api/runs/${runId}/action`, { step: 'draft_journal', action: 'answered', payload: { account: '6100' } });
  assert.equal(answered.statusCode, 200, answered.body);
  const review = await fx.waitingAt(runId, 'review_journal');
  const lines = (review.payload as { journal: { lines: { account: string }[] } }).journal.lines;
  assert.deepEqual(lines.map((line) => line.account), ['6100', '2100']);
});

test('an answer that misses the question schema, no answer, or a review outcome at the question are refused with their codes', async () => {
  const runId = await startDraft();
  await fx.waitingAt(runId, 'draft_journal');
  const cases: [object, string][] = [
    [{ step: 'draft_journal', action: 'answered', payload: { acount: '6100' } }, 'ANSWER_INVALID'],
    [{ step: 'draft_journal', action: 'answered' }, 'ANSWER_INVALID'],
    [{ step: 'draft_journal', action: 'approved' }, 'NOT_A_REVIEW'],
  ];
  for (const [body, code] of cases) {
    const response = await fx.post(`/api/runs/${runId}/action`, body);
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${JSON.stringify(body)}: ${response.statusCode} ${response.body}`);
    assert.equal((response.json() as { code: string }).code, code, response.body);
  }
  const unknown = await fx.post(`/api/runs/${runId}/action`, { step: 'draft_journal', action: 'answer', payload: {} });
  assert.equal(unknown.statusCode, 400);
  // Still waiting at the question: nothing refused changed the run.
  assert.equal((await fx.waitingAt(runId, 'draft_journal')).kind, 'agent');
  const answered = await fx.post(`/api/runs/${runId}/action`, { step: 'draft_journal', action: 'answered', payload: { account: '6100' } });
  assert.equal(answered.statusCode, 200, answered.body);
});

test('declining the question through the API: the agent task is cancelled and the run fails with AGENT_DECLINED, the signed-in person and the reason on it', async () => {
  const runId = await startDraft();
  const pending = await fx.waitingAt(runId, 'draft_journal');
  const { task_id: taskId } = pending.payload as { task_id: string };
  const withAnswer = await fx.post(`/api/runs/${runId}/action`, { step: 'draft_journal', action: 'declined', payload: { account: '6100' } });
  assert.equal((withAnswer.json() as { code: string }).code, 'ACTION_INVALID', withAnswer.body);
  const declined = await fx.post(`/api/runs/${runId}/action`, { step: 'draft_journal', action: 'declined', comment: 'Not our vendor' });
  assert.equal(declined.statusCode, 200, declined.body);
  const error = await fx.runtime.get(runId).result().then(
    () => assert.fail('the run completed'),
    (caught: unknown) => (caught as { failure: { type: string; step: string; message: string } }).failure,
  );
  assert.deepEqual([error.type, error.step], ['AGENT_DECLINED', 'draft_journal']);
  assert.match(error.message, /declined agent journal\.drafter's question: Not our vendor; its task was cancelled/);
  assert.ok(drafter.cancelled.has(taskId));
  const page = (await fx.get(`/api/runs/${runId}`)).json() as { state: { timeline: { type: string; outcome?: string; comment?: string }[] } };
  assert.ok(page.state.timeline.some((entry) => entry.type === 'action.taken' && entry.outcome === 'declined' && entry.comment === 'Not our vendor'));
});
