/**
 * Temporal's own Web UI shows a runbook run without the Queries tab (issue 13): the run list and the run's
 * page show the static summary (the runbook and its identity), the current details (the step, the pending
 * action, its reason and deadline), and the history names the steps. A dev
 * server of its own with the UI (the run's shared one is headless), driven in Chromium.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { BrowserContext, Page } from 'playwright-core';
import { startDevServer, type DevServer } from '../../interpreter/temporal/dev-server.ts';
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

describe('the Temporal Web UI shows a run', { concurrency: false }, () => {
  let server: DevServer;
  let runtime: TemporalTestRuntime;
  let connections: { close(): Promise<unknown> }[] = [];
  let context: BrowserContext;
  let page: Page;
  const runId = `ui-close-${process.pid}-${Date.now().toString(36)}`;

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
      await new Client({ connection: connections[0] as Connection }).workflow.getHandle(runId).terminate('test over').catch(() => undefined);
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
