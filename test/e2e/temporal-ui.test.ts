/**
 * Temporal's own Web UI shows a runbook run without the Queries tab (issue 13): the run list and the run's
 * page show the static summary (the runbook and its identity), the current details (the step, the pending
 * action, its reason and deadline), and the history names the steps. The run page's "Send a Signal" dialog
 * offers the runbook's declared signals with their descriptions (workflow metadata), and a signal sent through
 * it moves the run on. A dev server of its own with the UI (the run's shared one is headless), driven in Chromium.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { BrowserContext, Page } from 'playwright-core';
import { startDevServer, type DevServer } from '../../interpreter/temporal/dev-server.ts';
import { ensureTemporalCli } from '../../interpreter/temporal/temporal-cli.ts';
import { temporalTestRuntime, type TemporalTestRuntime } from '../../interpreter/testing/index.ts';
import { getTestBrowser, saveScreenshot } from '../support/browser.ts';
import { TEST_DEV_SERVER_OPTIONS } from '../support/dev-server-options.ts';
import { runbookOf } from '../support/inline-runbook.ts';

const close = runbookOf({
  slug: 'ui-month-end-close',
  title: 'Month-end close',
  identity: ['entity', 'period'],
  input: { type: 'object', required: ['entity', 'period'], properties: { entity: { type: 'string' }, period: { type: 'string' } } },
  signals: { tb_submitted: { description: 'The trial balance was submitted', payload: { type: 'object' } } },
  steps: [
    { id: 'open_period', title: 'Open the period', call: { handler: 'util.echo', args: { value: 1 } } },
    { id: 'review_extraction', title: 'Review the extraction', review: { reason: 'Approve the {% $input.period %} trial balance', deadline: { after: '3d', outcome: 'rejected' }, outcomes: { approved: 'continue', rejected: 'continue' } } },
    { id: 'submitted', title: 'Wait for the trial balance', wait: { signal: 'tb_submitted', action: 'submit_trial_balance' } },
  ],
});

// Waits on its declared signal first: the one a person sends from the Web UI; the review's reason shows the payload arrived.
const trialBalance = runbookOf({
  slug: 'ui-trial-balance',
  title: 'Trial balance',
  signals: { tb_submitted: { description: 'The trial balance was submitted', payload: { type: 'object', required: ['total'], properties: { total: { type: 'number' } } } } },
  steps: [
    { id: 'submitted', title: 'Wait for the trial balance', wait: { signal: 'tb_submitted', action: 'submit_trial_balance' } },
    { id: 'check', title: 'Check the total', review: { reason: 'Check the total of {% $string($steps.submitted.total) %}' } },
  ],
  output: { total: '{% $steps.submitted.total %}' },
});

describe('the Temporal Web UI shows a run', { concurrency: false }, () => {
  let server: DevServer;
  let runtime: TemporalTestRuntime;
  let connections: { close(): Promise<unknown> }[] = [];
  let context: BrowserContext;
  let page: Page;
  const runId = `ui-close-${process.pid}-${Date.now().toString(36)}`;
  const signalRunId = `ui-tb-${process.pid}-${Date.now().toString(36)}`;

  before(async () => {
    server = await startDevServer({ ...TEST_DEV_SERVER_OPTIONS, keepAlive: false, ui: {} });
    const connection = await Connection.connect({ address: server.address });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    connections = [connection, nativeConnection];
    runtime = await temporalTestRuntime({ connection, nativeConnection, namespace: server.namespace, taskQueue: 'ui-test', handlers: null, handlerNames: ['util.echo'] });
    runtime.handlers.attach(runId, new Map([['util.echo', [{ result: { value: 1 } }]]]));
    const run = await runtime.start([close], 'ui-month-end-close', { entity: 'acme-uk', period: '2025-01' }, runId);
    await run.waitForPendingAction();
    context = await (await getTestBrowser()).newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
  });

  after(async () => {
    await context?.close();
    if (runtime) {
      const client = new Client({ connection: connections[0] as Connection });
      for (const id of [runId, signalRunId]) await client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
      await runtime.close();
    }
    await Promise.all(connections.map((connection) => connection.close().catch(() => undefined)));
    await server?.stop();
  });

  // The list's columns are per browser (search attributes and the summary are opt-in columns): the run is listed.
  test('the run list lists the run', async () => {
    await page.goto(`${server.uiUrl}/namespaces/default/workflows`);
    try {
      await page.getByText(runId).first().waitFor({ timeout: 30_000 });
    } finally {
      await saveScreenshot(page, 'temporal-ui-run-list');
    }
  });

  test('the run page shows the summary and the current details: the step, the pending action, its reason and deadline', async () => {
    const { runId: executionId } = await runtime.client.workflow.getHandle(runId).describe();
    await page.goto(`${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(runId)}/${executionId}/history`);
    // The history names the steps (activity and timer summaries); the summary and details are under User Metadata.
    await page.getByText('open_period').first().waitFor({ timeout: 30_000 });
    await saveScreenshot(page, 'temporal-ui-run-history');
    await page.getByText('User Metadata', { exact: true }).first().click();
    try {
      await page.locator('text=Current Details >> visible=true').first().waitFor({ timeout: 30_000 });
      await until(async () => (await allText(page)).includes('Waiting for:'));
    } finally {
      await saveScreenshot(page, 'temporal-ui-run-page');
    }
    const text = await allText(page);
    assert.equal(text.split('Month-end close · acme-uk · 2025-01').length - 1 >= 2, true, 'in the summary and in the details');
    assert.match(text, /Step: Review the extraction/);
    assert.match(text, /Approve the 2025-01 trial balance/);
    assert.match(text, /Deadline: \d{4}-\d{2}-\d{2}T/);
    await saveScreenshot(page, 'temporal-ui-run-page');
  });
  test('the "Send a Signal" dialog offers the declared signals with their descriptions, and one sent through it moves the run on', async () => {
    const run = await runtime.start([trialBalance], 'ui-trial-balance', {}, signalRunId);
    assert.equal((await run.waitForPendingAction())?.step, 'submitted');
    const { runId: executionId } = await runtime.client.workflow.getHandle(signalRunId).describe();
    await page.goto(`${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(signalRunId)}/${executionId}/history`);
    await page.getByRole('button', { name: 'More Actions' }).click();
    await page.getByRole('menuitem', { name: 'Send a Signal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a Signal' });
    await dialog.waitFor({ timeout: 30_000 });

    // The names come from the run's metadata query: our handlers, each with its description.
    await dialog.getByRole('button', { name: 'Select a signal' }).click();
    const options = dialog.getByRole('option');
    await options.filter({ hasText: 'tb_submitted' }).first().waitFor({ timeout: 30_000 });
    await saveScreenshot(page, 'temporal-ui-signal-names');
    const offered = new Map((await options.allInnerTexts()).map((text) => { const [name, ...rest] = text.split('\n'); return [name!.trim(), rest.join(' ').trim()]; }));
    assert.equal(offered.get('tb_submitted'), 'The trial balance was submitted', [...offered.keys()].join(', '));
    assert.match(offered.get('user_action') ?? '', /pending review/, 'user_action, described');

    await dialog.getByRole('option', { name: /^tb_submitted\b/ }).click();
    await dialog.getByRole('textbox', { name: 'Data' }).fill('{"total": 42}');
    await saveScreenshot(page, 'temporal-ui-signal-dialog');
    await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByText('Workflow signaled.').first().waitFor({ timeout: 30_000 });

    // The run took the payload and waits on the next step; the UI's history and current details say so.
    await until(async () => (await run.currentPendingAction())?.step === 'check');
    assert.equal((await run.currentPendingAction())?.reason, 'Check the total of 42');
    await page.reload();
    await page.getByText('Workflow Execution Signaled').first().waitFor({ timeout: 30_000 });
    await page.getByText('User Metadata', { exact: true }).first().click();
    try {
      await until(async () => (await allText(page)).includes('Check the total of 42'));
    } finally {
      await saveScreenshot(page, 'temporal-ui-signal-sent');
    }
    assert.match(await allText(page), /Step: Check the total/);
    // The Search Attributes tab: waiting on the review, since when (RunbookWaitingSince, a Datetime).
    await page.getByText('Search Attributes', { exact: true }).first().click();
    try {
      await until(async () => (await allText(page)).includes('RunbookWaitingSince'));
    } finally {
      await saveScreenshot(page, 'temporal-ui-search-attributes');
    }
    const attributes = await allText(page);
    assert.match(attributes, /"RunbookStatus": "waiting"/);
    assert.ok(attributes.includes(`"RunbookWaitingSince": "${(await run.currentPendingAction())?.since}"`), 'since the review began, as the inbox entry says');

    // `temporal workflow metadata` lists the same signal with its description.
    const cli = await ensureTemporalCli();
    const { stdout } = await promisify(execFile)(cli, ['workflow', 'metadata', '--address', server.address, '--namespace', server.namespace, '--workflow-id', signalRunId, '--output', 'json']);
    // The CLI prints the metadata query's result: `{ queryResult: [{ definition: { signalDefinitions, ... }, currentDetails }] }`.
    const metadata = (JSON.parse(stdout) as { queryResult?: { definition?: { signalDefinitions?: { name: string; description?: string }[] } }[] }).queryResult?.[0];
    const signals = metadata?.definition?.signalDefinitions ?? [];
    assert.equal(signals.find((signal) => signal.name === 'tb_submitted')?.description, 'The trial balance was submitted', stdout);
    assert.ok(signals.some((signal) => signal.name === 'user_action'), stdout);

    await run.userAction({ action: 'approved', actor: 'ana' });
    assert.deepEqual(await run.result(), { total: 42 });
  });
});

/** The text of the page and its frames (the UI renders markdown details in a sandboxed frame). */
async function allText(page: Page): Promise<string> {
  const texts = await Promise.all(page.frames().map((frame) => frame.locator('body').innerText().catch(() => '')));
  return texts.join('\n');
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) assert.fail('not within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
