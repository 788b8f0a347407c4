/**
 * Committed documents in the console, in Chromium, on both runtimes: a real `runbook console` process
 * (in-process; and on the shared Temporal dev server beside a real `runbook worker`, the two sharing
 * the project's document store) behind the trusted-proxy auth of a project config.
 *
 * Ana closes January and February for one entity, then closes February again with a corrected trial
 * balance (the period kept open). Each run page shows what it committed (the closing trial balance,
 * its key, version, reviewer and totals); February's first run says its version was superseded and
 * links to the key's page, which lists both versions newest first, each with the run that committed it
 * and what changed. An unknown document is an error with its code. axe-core finds no serious or
 * critical violation; screenshots are saved under test-results/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { getTestBrowser, saveScreenshot, SCREENSHOT_DIR, seriousAccessibilityViolations } from '../support/browser.ts';
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
  roles:
    viewer: ['*']
    operator: ['ana@acme.example']
`;

const ANA = { 'x-forwarded-user': 'ana@acme.example' };
const VICTOR = { 'x-forwarded-user': 'victor@acme.example' };
const TB = JSON.parse(readFileSync(join(ROOT, 'runbooks', 'month-end-close.tb_submitted.json'), 'utf8')) as { content: string };
/** The example trial balance for `period`; `corrected`: bank and share capital 1,000 higher (still balanced: 23,390 a side). */
const tbFor = (period: string, corrected = false): { period: string; filename: string; content: string } => {
  let content = TB.content.replace('2025-01', period);
  if (corrected) content = content.replace('"12,450.00"', '"13,450.00"').replace('10000.00', '11000.00');
  return { period, filename: `tb-${period}.csv`, content };
};

function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-documents-e2e-'));
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

/** One month-end close through the console's API as the person of `request`, approved at the review; its run id. */
async function closeByApi(request: APIRequestContext, input: Record<string, unknown>, upload: ReturnType<typeof tbFor>): Promise<string> {
  const { csrf_token: csrf } = (await (await request.get('/api/me')).json()) as { csrf_token: string };
  const headers = { 'x-csrf-token': csrf };
  const started = await request.post('/api/runs', { headers, data: { runbook: 'month-end-close', input } });
  assert.equal(started.status(), 201, await started.text());
  const runId = ((await started.json()) as { run_id: string }).run_id;
  const path = `/api/runs/${encodeURIComponent(runId)}`;
  const until = async (what: string, ok: (state: { status: string; pending_action: { step: string } | null; error: unknown }) => boolean): Promise<void> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { state } = (await (await request.get(path)).json()) as { state: { status: string; pending_action: { step: string } | null; error: unknown } };
      if (ok(state)) return;
      assert.ok(Date.now() < deadline && !['failed', 'cancelled'].includes(state.status), `${what}: ${JSON.stringify(state).slice(0, 800)}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  };
  await until('waiting for the upload', (state) => state.pending_action?.step === 'await_trial_balance');
  const signal = await request.post(`${path}/signal`, { headers, data: { name: 'tb_submitted', payload: upload } });
  assert.equal(signal.status(), 200, await signal.text());
  await until('waiting at the review', (state) => state.pending_action?.step === 'review_extraction');
  const approved = await request.post(`${path}/action`, { headers, data: { step: 'review_extraction', action: 'approved', comment: 'Agrees to the ledger' } });
  assert.equal(approved.status(), 200, await approved.text());
  await until('completed', (state) => state.status === 'completed');
  return runId;
}

for (const runtime of ['in-process', 'temporal'] as const) {
  describe(`committed documents in the console (${runtime})`, { concurrency: false }, () => {
    let project: string;
    let consoleProcess: ServingProcess;
    let worker: CliWorker | undefined;
    const contexts: BrowserContext[] = [];
    const entity = `acme-docs-${runtime === 'temporal' ? 't' : 'l'}-${process.pid}`;
    const runs = { january: '', february: '', februaryAgain: '' };

    const pageFor = async (headers: Record<string, string>): Promise<Page> => {
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
        const taskQueue = temporal.taskQueue('console-documents-e2e');
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

    test('January, February, and February again (corrected) close; each run page shows what it committed', async () => {
      const page = await pageFor(ANA);
      await page.goto('/');
      runs.january = await closeByApi(page.request, { entity, period: '2025-01', expected_documents: [] }, tbFor('2025-01'));
      runs.february = await closeByApi(page.request, { entity, period: '2025-02', expected_documents: [], keep_period_open: true }, tbFor('2025-02'));
      runs.februaryAgain = await closeByApi(page.request, { entity, period: '2025-02', expected_documents: [], keep_period_open: true }, tbFor('2025-02', true));

      await page.goto(`/runs/${encodeURIComponent(runs.februaryAgain)}`);
      const committed = page.getByTestId('run-document');
      await committed.waitFor({ timeout: 30_000 });
      assert.equal(await committed.count(), 1);
      assert.equal(await committed.getAttribute('data-document'), 'closing_trial_balance');
      assert.equal(await committed.getAttribute('data-version'), '2');
      const text = await committed.innerText();
      assert.match(text, /Closing trial balance/);
      assert.match(text, new RegExp(entity));
      assert.match(text, /2025-02/);
      assert.match(text, /ana@acme\.example/);
      assert.match(text, /\(latest\)/);
      assert.match(text, /Record closing balance/, 'the step that committed');
      const value = page.getByTestId('run-document-value');
      assert.equal(await value.getAttribute('data-shown'), 'fields');
      assert.match(await value.getByRole('row', { name: /Totals › Debit/ }).innerText(), /23,390/);
      await expectAccessible(page, `${runtime}-documents-01-run-page`);
      // The section alone, at full size (the page's screenshot is long).
      await page.getByTestId('run-documents').screenshot({ path: join(SCREENSHOT_DIR, `${runtime}-documents-01-run-page-section.png`) });

      await page.goto(`/runs/${encodeURIComponent(runs.january)}`);
      await page.getByTestId('run-document').waitFor({ timeout: 30_000 });
      assert.match(await page.getByTestId('run-document').innerText(), /2025-01[\s\S]*\(latest\)/);
      assert.match(await page.getByTestId('run-document-value').getByRole('row', { name: /Totals › Debit/ }).innerText(), /22,390/);
    });

    test("a superseded version says so and links to the key's versions: newest first, each with its run and its changes", async () => {
      const page = await pageFor(VICTOR);
      await page.goto(`/runs/${encodeURIComponent(runs.february)}`);
      const committed = page.getByTestId('run-document');
      await committed.waitFor({ timeout: 30_000 });
      assert.equal(await committed.getAttribute('data-version'), '1');
      assert.match(await committed.innerText(), /superseded by version 2/);
      await page.getByTestId('run-document-versions').click();
      await page.waitForURL(/\/documents\/closing_trial_balance\?/);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('key.entity'), entity);
      assert.equal(url.searchParams.get('key.period'), '2025-02');

      const versions = page.getByTestId('document-version');
      await versions.first().waitFor({ timeout: 30_000 });
      assert.deepEqual(await versions.evaluateAll((items) => items.map((item) => item.getAttribute('data-version'))), ['2', '1'], 'newest first');
      assert.deepEqual(await versions.evaluateAll((items) => items.map((item) => item.getAttribute('data-run-id'))), [runs.februaryAgain, runs.february]);
      assert.match(await page.getByTestId('document-version-count').innerText(), /2 versions, newest first/);
      const changes = versions.first().getByTestId('document-changes');
      const changed = await changes.locator('li').evaluateAll((items) => items.map((item) => item.getAttribute('data-path')));
      assert.ok(changed.includes('totals.debit') && changed.includes('totals.credit'), changed.join());
      assert.match(await changes.locator('li[data-path="totals.debit"]').innerText(), /22,390[\s\S]*23,390/);
      assert.match(await versions.nth(1).innerText(), /first version of this key/);
      assert.match(await versions.first().innerText(), /ana@acme\.example/);
      await expectAccessible(page, `${runtime}-documents-02-versions`);

      // The older version's value is one click away; its run's page is a link.
      await versions.nth(1).getByText('Value of version 1').click();
      assert.match(await versions.nth(1).getByTestId('document-value').getByRole('row', { name: /Totals › Debit/ }).innerText(), /22,390/);
      await saveScreenshot(page, `${runtime}-documents-03-older-value`);
      await versions.nth(1).getByTestId('document-version-run').click();
      await page.waitForURL(new RegExp(`/runs/${encodeURIComponent(runs.february)}$`));
      await page.getByTestId('run-document').waitFor();
    });

    test('an unknown document is an error with its code; a run that committed nothing says so', async () => {
      const page = await pageFor(VICTOR);
      await page.goto(`/documents/no_such_document?key.entity=${entity}&key.period=2025-02`);
      const error = page.getByTestId('document-error');
      await error.waitFor({ timeout: 30_000 });
      assert.equal(await error.getAttribute('data-code'), 'DOCUMENT_UNKNOWN');
      await expectAccessible(page, `${runtime}-documents-04-unknown`);

      const ana = await pageFor(ANA);
      const { csrf_token: csrf } = (await (await ana.request.get('/api/me')).json()) as { csrf_token: string };
      const started = await ana.request.post('/api/runs', { headers: { 'x-csrf-token': csrf }, data: { runbook: 'month-end-close', input: { entity, period: '2025-03', expected_documents: [] } } });
      const runId = ((await started.json()) as { run_id: string }).run_id;
      await ana.goto(`/runs/${encodeURIComponent(runId)}`);
      await ana.getByTestId('run-documents-empty').waitFor({ timeout: 30_000 });
      assert.match(await ana.getByTestId('run-documents-empty').innerText(), /no document yet/);
      await ana.request.post(`/api/runs/${encodeURIComponent(runId)}/cancel`, { headers: { 'x-csrf-token': csrf } });
    });
  });
}
