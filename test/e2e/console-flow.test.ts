/**
 * The console end to end in Chromium, on both runtimes: a real `runbook console` process
 * (in-process; and on the shared Temporal dev server with a real `runbook worker`) behind the
 * trusted-proxy auth of a project config, driven by Playwright's library.
 *
 * Ana (operator) starts month-end close from the input form, uploads the trial balance through
 * the upload component, is refused a rejection without a comment, corrects one line in the review
 * table and approves with a comment; the run completes with her as the approver in its output and
 * timeline. Bob's browser, open on the same run page, sees her action live. Victor (viewer) is
 * offered no buttons and the API refuses him (403). axe-core finds no serious or critical
 * violation on any page; screenshots of each page are saved under test-results/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { getTestBrowser, saveScreenshot, seriousAccessibilityViolations } from '../support/browser.ts';
import { startCliWorker, type CliWorker } from '../support/cli-worker.ts';
import { serve, type ServingProcess } from '../cli/console-process-helper.ts';
import { ROOT } from '../support/run-cli.ts';
import { getTestTemporal } from '../support/temporal-env.ts';

const CONFIG = `runbooks: runbooks
handlers: handlers
console:
  auth:
    mode: proxy
    proxy:
      user_header: x-forwarded-user
      groups_header: x-forwarded-groups
  roles:
    viewer: ['*']
    operator: ['ana@acme.example', 'group:accountants']
`;

const ANA = { 'x-forwarded-user': 'ana@acme.example' };
const BOB = { 'x-forwarded-user': 'bob@acme.example', 'x-forwarded-groups': 'accountants' };
const VICTOR = { 'x-forwarded-user': 'victor@acme.example' };
const TB_CSV = join(ROOT, 'runbooks', 'tb-2025-01.csv');

/** A project of the example runbooks and handlers with a console configuration. */
function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-e2e-'));
  symlinkSync(join(ROOT, 'runbooks'), join(dir, 'runbooks'));
  symlinkSync(join(ROOT, 'handlers'), join(dir, 'handlers'));
  writeFileSync(join(dir, 'runbook.config.yaml'), CONFIG);
  mkdirSync(join(dir, 'data'));
  return dir;
}

async function expectAccessible(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, name);
  const violations = await seriousAccessibilityViolations(page);
  assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 2)}`);
}

for (const runtime of ['in-process', 'temporal'] as const) {
  describe(`the console in Chromium (${runtime})`, { concurrency: false }, () => {
    let project: string;
    let consoleProcess: ServingProcess;
    let worker: CliWorker | undefined;
    const contexts: BrowserContext[] = [];
    let runPath = '';

    const contextFor = async (headers: Record<string, string>): Promise<Page> => {
      const browser = await getTestBrowser();
      const context = await browser.newContext({ extraHTTPHeaders: headers, baseURL: consoleProcess.url, viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      return context.newPage();
    };

    before(async () => {
      project = makeProject();
      const env: Record<string, string> = { RUNBOOK_DATA_DIR: join(project, 'data'), TEMPORAL_ADDRESS: '' };
      if (runtime === 'temporal') {
        const temporal = await getTestTemporal();
        const taskQueue = temporal.taskQueue('console-e2e');
        Object.assign(env, { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, TEMPORAL_TASK_QUEUE: taskQueue });
        worker = startCliWorker({
          address: temporal.address, namespace: temporal.namespace, taskQueue, runbooksDir: join(project, 'runbooks'),
          dataDir: env.RUNBOOK_DATA_DIR, stateFile: join(project, 'worker-state.json'), cwd: project,
        });
        await worker.ready(60_000);
      }
      consoleProcess = await serve(['console', '--port', '0'], { cwd: project, env: { ...process.env, TEMPORAL_LOG_LEVEL: 'ERROR', ...env } });
    });

    after(async () => {
      for (const context of contexts) await context.close().catch(() => {});
      if (consoleProcess) assert.equal(await consoleProcess.stop(), 0, consoleProcess.output());
      await worker?.kill('SIGTERM');
      rmSync(project, { recursive: true, force: true });
    });

    test('an operator starts month-end close from the input form', async () => {
      const page = await contextFor(ANA);
      await page.goto('/');
      await page.getByRole('heading', { name: /inbox/i }).waitFor();
      await expectAccessible(page, `${runtime}-01-inbox-empty`);
      await page.goto('/start/month-end-close');
      await page.getByTestId('start-submit').waitFor();
      await expectAccessible(page, `${runtime}-02-start-form`);
      await page.getByTestId('start-submit').click();
      await page.waitForURL(/\/runs\//);
      runPath = new URL(page.url()).pathname;
      await page.locator('[data-testid="step-await_trial_balance"][data-status="waiting"]').waitFor({ timeout: 30_000 });
      assert.match(await page.getByTestId('run-status').innerText(), /waiting/i);
    });

    test('the upload waits in the inbox, and the upload component sends the trial balance', async () => {
      const page = await contextFor(ANA);
      await page.goto('/');
      // The dev server is shared with the other tests: pick this run's card, not another waiting close.
      const runId = decodeURIComponent(runPath.replace(/^\/runs\//, ''));
      const item = page.locator(`[data-testid="inbox-item"][data-run-id="${runId}"]`).filter({ hasText: 'Upload trial balance' });
      // Temporal: visibility catches up within moments; a person would press Refresh.
      for (let tries = 0; (await item.count()) === 0; tries++) {
        assert.ok(tries < 40, 'the upload shows in the inbox');
        await page.waitForTimeout(500);
        await page.getByRole('button', { name: 'Refresh' }).click();
      }
      assert.match(await item.first().innerText(), /acme-uk/);
      await expectAccessible(page, `${runtime}-03-inbox-upload`);
      await page.goto(runPath);
      await page.getByTestId('upload-file').setInputFiles(TB_CSV);
      await expectAccessible(page, `${runtime}-04-upload`);
      await page.getByTestId('upload-submit').click();
      await page.locator('[data-testid="step-review_extraction"][data-status="waiting"]').waitFor({ timeout: 60_000 });
    });

    test('a viewer sees the review but is offered no action and is refused by the API', async () => {
      const page = await contextFor(VICTOR);
      await page.goto(runPath);
      await page.locator('[data-testid="step-review_extraction"][data-status="waiting"]').waitFor();
      assert.equal(await page.getByTestId('action-approved').count(), 0);
      const me = (await (await page.request.get('/api/me')).json()) as { csrf_token: string; roles: string[] };
      assert.deepEqual(me.roles, ['viewer']);
      const runId = decodeURIComponent(runPath.replace(/^\/runs\//, ''));
      const response = await page.request.post(`/api/runs/${encodeURIComponent(runId)}/action`, {
        headers: { 'x-csrf-token': me.csrf_token },
        data: { step: 'review_extraction', action: 'approved' },
      });
      assert.equal(response.status(), 403);
      assert.equal(((await response.json()) as { code: string }).code, 'FORBIDDEN');
    });

    test('a rejection without a comment is refused; a corrected line is approved with a comment, live in a second browser', async () => {
      const watcher = await contextFor(BOB);
      await watcher.goto(runPath);
      await watcher.locator('[data-testid="step-review_extraction"][data-status="waiting"]').waitFor();

      const page = await contextFor(ANA);
      await page.goto(runPath);
      await page.getByTestId('action-rejected').waitFor();
      await expectAccessible(page, `${runtime}-05-review`);
      await page.getByTestId('action-rejected').click();
      await page.getByTestId('action-error').waitFor();
      assert.match(await page.getByTestId('action-error').innerText(), /COMMENT_REQUIRED|comment/i);
      assert.equal(await page.locator('[data-testid="step-review_extraction"][data-status="waiting"]').count(), 1, 'nothing changed');

      // One line corrected in the table, then approved with a comment, by keyboard.
      const name = page.getByTestId('line-0-name');
      await name.fill('Bank (Barclays current account)');
      await page.getByTestId('action-comment').fill('Bank account renamed to match the ledger');
      await page.getByTestId('action-corrected').focus();
      await page.keyboard.press('Enter');

      await page.locator('[data-testid="run-status"]', { hasText: /completed/i }).waitFor({ timeout: 60_000 });
      const output = await page.getByTestId('run-output').innerText();
      assert.match(output, /ana@acme\.example/);
      const timeline = await page.getByTestId('timeline-entry').allInnerTexts();
      assert.ok(timeline.some((entry) => /ana@acme\.example/.test(entry) && /renamed/i.test(entry)), timeline.join('\n'));
      await expectAccessible(page, `${runtime}-06-completed`);

      // Bob's page followed without a reload.
      try {
        await watcher.locator('[data-testid="run-status"]', { hasText: /completed/i }).waitFor({ timeout: 30_000 });
      } finally {
        await saveScreenshot(watcher, `${runtime}-07-second-browser`);
      }
    });
  });
}
