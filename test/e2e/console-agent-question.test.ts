/**
 * An agent's question in the console, in Chromium: the example journal-draft-by-agent on the
 * in-process runtime with the scripted A2A agent (journal.drafter) behind a console server that
 * serves the built app. Ana (operator) opens the run page, sees which agent asks what, answers
 * through the form generated from the question's schema (a refusal shows its code beside the
 * form, which keeps her answer), and the run moves on to the review. Victor (viewer) sees the
 * question without a form. On another run she declines the question (Decline, a reason, confirm):
 * the agent's task is cancelled and the step fails with AGENT_DECLINED. axe-core finds nothing
 * serious; the screenshots are test-results/screenshots/agent-question.png and agent-question-decline.png.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { loadAgentRegistry } from '../../interpreter/agents/index.ts';
import { LocalRuntime } from '../../interpreter/index.ts';
import { createConsoleServer } from '../../interpreter/server/console-server.ts';
import { LocalBackend } from '../../interpreter/server/local-backend.ts';
import { loadProjectRunbooks } from '../../interpreter/server/project-runbooks.ts';
import { startA2aAgent, type AgentServer } from '../support/agent-servers.ts';
import { getTestBrowser, saveScreenshot, seriousAccessibilityViolations } from '../support/browser.ts';
import { ROOT } from '../support/run-cli.ts';
import { exampleHandlers, testAuth } from '../server/console-fixture.ts';

const ANA = { 'x-test-user': 'ana' };
const VICTOR = { 'x-test-user': 'victor' };

describe("an agent's question in the console (in-process)", { concurrency: false }, () => {
  let drafter: AgentServer;
  let dataDir: string;
  let app: FastifyInstance;
  let runtime: LocalRuntime;
  let baseURL = '';
  let runId = '';
  let input: Record<string, unknown> = {};
  const contexts: BrowserContext[] = [];
  const saved = { url: process.env.JOURNAL_DRAFTER_URL, data: process.env.RUNBOOK_DATA_DIR };

  const pageFor = async (headers: Record<string, string>): Promise<Page> => {
    const browser = await getTestBrowser();
    const context = await browser.newContext({ extraHTTPHeaders: headers, baseURL, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };

  before(async () => {
    drafter = await startA2aAgent();
    process.env.JOURNAL_DRAFTER_URL = drafter.url;
    dataDir = await mkdtemp(join(tmpdir(), 'console-agent-e2e-'));
    process.env.RUNBOOK_DATA_DIR = dataDir;
    const handlers = await exampleHandlers();
    const agents = await loadAgentRegistry(join(ROOT, 'agents'));
    const project = await loadProjectRunbooks(join(ROOT, 'runbooks'), handlers, agents);
    assert.deepEqual(project.errors, []);
    runtime = new LocalRuntime({ definitions: project.definitions, handlers, agents });
    const backend = new LocalBackend({ runtime, catalog: project.catalog, handlers });
    // The built app (lib/console-app/) is served: appDir left to its default.
    app = await createConsoleServer({ backend, auth: testAuth({ ana: ['viewer', 'operator'], victor: ['viewer'] }), heartbeatMs: 200 });
    baseURL = await app.listen({ host: '127.0.0.1', port: 0 });
    input = JSON.parse(await readFile(join(ROOT, 'runbooks', 'journal-draft-by-agent.input.json'), 'utf8')) as Record<string, unknown>;
    runId = `agent-question-e2e-${process.pid}`;
    runtime.start('journal-draft-by-agent', { ...input, entity: `acme-e2e-${process.pid}` }, { runId });
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await app?.close();
    await drafter?.close();
    for (const [key, value] of [['JOURNAL_DRAFTER_URL', saved.url], ['RUNBOOK_DATA_DIR', saved.data]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('a viewer sees which agent asks what, and is offered no answer form', async () => {
    const page = await pageFor(VICTOR);
    await page.goto(`/runs/${encodeURIComponent(runId)}`);
    await page.getByTestId('agent-question').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('agent-question').innerText(), /journal\.drafter/);
    assert.match(await page.getByTestId('agent-question-text').innerText(), /Which expense account/);
    assert.equal(await page.getByTestId('agent-answer-send').count(), 0);
    assert.match(await page.getByTestId('act-blocked').innerText(), /operator role/);
  });

  test('an operator answers through the schema form; a refusal shows its code and keeps the answer; the run moves on to the review', async () => {
    const page = await pageFor(ANA);
    await page.goto(`/runs/${encodeURIComponent(runId)}`);
    await page.getByTestId('agent-question').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('agent-question-text').innerText(), /Which expense account should the accrual for .+ go to\?/);
    const account = page.getByLabel(/account/i);
    await account.waitFor();

    // The first send is refused (as the engine refuses an answer that misses the question's schema).
    let sent: unknown = null;
    await page.route('**/api/runs/*/action', async (route) => {
      sent = route.request().postDataJSON();
      await route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ code: 'ANSWER_INVALID', message: "the answer to step \"draft_journal\"'s question: /account must match pattern" }) });
    });
    await account.fill('6100');
    await page.getByTestId('agent-answer-send').click();
    const error = page.getByTestId('agent-answer-error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'ANSWER_INVALID');
    assert.deepEqual(sent, { step: 'draft_journal', action: 'answered', payload: { account: '6100' } });
    assert.equal(await account.inputValue(), '6100');
    await saveScreenshot(page, 'agent-question');
    const violations = await seriousAccessibilityViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    await page.unroute('**/api/runs/*/action');

    // Sent for real: the agent drafts with the account, and the run waits at the review.
    await page.getByTestId('agent-answer-send').click();
    await page.locator('[data-testid="step-review_journal"][data-status="waiting"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="pending-action"][data-action="review_journal"]').waitFor();
    assert.equal(await page.getByTestId('agent-question').count(), 0);
    const state = await runtime.get(runId).currentUiState();
    const lines = (state.pending_action?.payload as { journal: { lines: { account: string }[] } }).journal.lines;
    assert.deepEqual(lines.map((line) => line.account), ['6100', '2100']);
    const violationsAtReview = await seriousAccessibilityViolations(page);
    assert.deepEqual(violationsAtReview, [], JSON.stringify(violationsAtReview, null, 2));
  });

  test('an operator declines the question with a reason: the agent task is cancelled and the step fails with AGENT_DECLINED', async () => {
    const declinedRun = `agent-decline-e2e-${process.pid}`;
    runtime.start('journal-draft-by-agent', { ...input, entity: `acme-e2e-decline-${process.pid}` }, { runId: declinedRun });
    const page = await pageFor(ANA);
    await page.goto(`/runs/${encodeURIComponent(declinedRun)}`);
    await page.getByTestId('agent-question').waitFor({ timeout: 30_000 });
    const { task_id: taskId } = (await runtime.get(declinedRun).currentPendingAction())?.payload as { task_id: string };
    await page.getByTestId('agent-decline').click();
    await page.getByTestId('agent-decline-panel').waitFor();
    // Keeping the question closes the panel and sends nothing.
    await page.getByTestId('agent-decline-cancel').click();
    assert.equal(await page.getByTestId('agent-decline-panel').count(), 0);
    await page.getByTestId('agent-decline').click();
    await page.getByLabel('Why (optional)').fill('We do not accrue this vendor');
    await saveScreenshot(page, 'agent-question-decline');
    const violations = await seriousAccessibilityViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    const request = page.waitForRequest('**/api/runs/*/action');
    await page.getByTestId('agent-decline-confirm').click();
    assert.deepEqual((await request).postDataJSON(), { step: 'draft_journal', action: 'declined', comment: 'We do not accrue this vendor' });
    await page.locator('[data-testid="step-draft_journal"][data-status="failed"]').waitFor({ timeout: 30_000 });
    const state = await runtime.get(declinedRun).currentUiState();
    assert.equal(state.error?.type, 'AGENT_DECLINED');
    assert.match(state.error?.message ?? '', /ana.* declined agent journal\.drafter's question: We do not accrue this vendor; its task was cancelled/);
    assert.ok(drafter.cancelled.has(taskId), 'the A2A task was cancelled');
  });
});
