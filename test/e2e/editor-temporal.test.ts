/**
 * The editor end to end on Temporal, as a team runs it: a real `runbook worker` hot-loading a copy
 * of the example runbooks, a real `runbook console` on the shared dev server, Chromium. A run is
 * started; in the editor a person moves `open_period` below `await_trial_balance` with the keyboard
 * alone, reviews the diff and saves. The file on disk keeps every comment and differs only in the
 * moved lines, the worker serves the new hash (the editor shows it), a new run follows the new order,
 * and the run started before the save finishes in the old one.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import type { RunPageResponse } from '../../interpreter/server/console-api.ts';
import { getTestBrowser, saveScreenshot, seriousAccessibilityViolations } from '../support/browser.ts';
import { startCliWorker, type CliWorker } from '../support/cli-worker.ts';
import { serve, type ServingProcess } from '../cli/console-process-helper.ts';
import { ROOT } from '../support/run-cli.ts';
import { getTestTemporal } from '../support/temporal-env.ts';

const TB = (period: string): { period: string; filename: string; content: string } => ({
  period,
  filename: `tb-${period}.csv`,
  content: `# period: ${period}\n# currency: GBP\naccount,name,debit,credit\n1000,Bank,1000.00,\n4000,Sales,,1000.00\n`,
});

/** Lines of `after` not in `before` and the other way round, as multisets (a move shows as lines out and in). */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const count = (lines: string[]): Map<string, number> => lines.reduce((map, line) => map.set(line, (map.get(line) ?? 0) + 1), new Map<string, number>());
  const a = count(before.split('\n'));
  const b = count(after.split('\n'));
  const removed = [...a].flatMap(([line, n]) => Array<string>(Math.max(0, n - (b.get(line) ?? 0))).fill(line));
  const added = [...b].flatMap(([line, n]) => Array<string>(Math.max(0, n - (a.get(line) ?? 0))).fill(line));
  return { removed, added };
}

describe('the editor on Temporal (worker hot-loads the saved runbook)', { concurrency: false }, () => {
  let project: string;
  let worker: CliWorker;
  let consoleProcess: ServingProcess;
  let context: BrowserContext;
  let page: Page;
  let api: APIRequestContext;
  let csrf = '';
  let original = '';
  let runBefore = '';
  const file = (): string => join(project, 'runbooks', 'month-end-close.yaml');
  const entity = `acme-editor-${process.pid}-${Date.now().toString(36)}`;

  const startRun = async (period: string): Promise<string> => {
    const response = await api.post('/api/runs', { headers: { 'x-csrf-token': csrf }, data: { runbook: 'month-end-close', input: { entity, period, expected_documents: [] } } });
    assert.equal(response.status(), 201, await response.text());
    return ((await response.json()) as { run_id: string }).run_id;
  };
  const runPage = async (runId: string): Promise<RunPageResponse> => (await (await api.get(`/api/runs/${encodeURIComponent(runId)}`)).json()) as RunPageResponse;
  const until = async (runId: string, predicate: (state: RunPageResponse['state']) => boolean, what: string): Promise<RunPageResponse['state']> => {
    for (let tries = 0; ; tries++) {
      const { state } = await runPage(runId);
      if (predicate(state)) return state;
      assert.ok(tries < 120, `${runId}: ${what} (now ${state.status} at ${state.current_step})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'editor-e2e-'));
    cpSync(join(ROOT, 'runbooks'), join(project, 'runbooks'), { recursive: true });
    symlinkSync(join(ROOT, 'handlers'), join(project, 'handlers'));
    writeFileSync(join(project, 'runbook.config.yaml'), 'runbooks: runbooks\nhandlers: handlers\n');
    mkdirSync(join(project, 'data'));
    original = readFileSync(file(), 'utf8');
    const temporal = await getTestTemporal();
    const taskQueue = temporal.taskQueue('editor-e2e');
    const env = { RUNBOOK_DATA_DIR: join(project, 'data'), TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, TEMPORAL_TASK_QUEUE: taskQueue };
    // The worker's state file where the console looks for it: the project's state directory.
    worker = startCliWorker({
      address: temporal.address, namespace: temporal.namespace, taskQueue, runbooksDir: join(project, 'runbooks'),
      dataDir: env.RUNBOOK_DATA_DIR, stateFile: join(project, '.runbook', 'worker-definitions.json'), cwd: project,
    });
    await worker.ready(60_000);
    consoleProcess = await serve(['console', '--port', '0'], { cwd: project, env: { ...process.env, TEMPORAL_LOG_LEVEL: 'ERROR', ...env } });
    const browser = await getTestBrowser();
    context = await browser.newContext({ baseURL: consoleProcess.url, viewport: { width: 1400, height: 950 } });
    page = await context.newPage();
    api = context.request;
    csrf = ((await (await api.get('/api/me')).json()) as { csrf_token: string }).csrf_token;
  });

  after(async () => {
    await context?.close().catch(() => {});
    if (consoleProcess) assert.equal(await consoleProcess.stop(), 0, consoleProcess.output());
    await worker?.kill('SIGTERM');
    rmSync(project, { recursive: true, force: true });
  });

  test('a run started before the edit waits on the upload, in the old order', async () => {
    runBefore = await startRun('2025-03');
    const state = await until(runBefore, (s) => s.pending_action?.step === 'await_trial_balance', 'waits for the upload');
    assert.equal(state.steps.find((step) => step.id === 'open_period')?.status, 'completed');
  });

  test('the editor shows what the worker serves; a keyboard-only move, reviewed and saved', async () => {
    await page.goto('/editor/month-end-close');
    await page.getByTestId('editor-step-open_period').waitFor();
    const servedBefore = await page.getByTestId('editor-served-hash').innerText();
    assert.match(servedBefore, /[0-9a-f]{12}/);
    const violations = await seriousAccessibilityViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    await saveScreenshot(page, 'editor-temporal-01-opened');

    const handle = page.getByTestId('editor-move-open_period');
    await handle.focus();
    await page.keyboard.press('Space');
    // dnd-kit has picked the step up: the drop status shows while it is held.
    await page.getByTestId('editor-drop-ok').waitFor();
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('editor-drop-ok').filter({ hasText: 'can go to place 2' }).waitFor();
    await page.waitForTimeout(150);
    await page.keyboard.press('Space');
    // The list follows the move once the server has applied and validated it.
    for (let tries = 0; ; tries++) {
      const ids = await page.locator('[data-testid^="editor-step-"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')));
      if (ids.indexOf('editor-step-open_period') > ids.indexOf('editor-step-await_trial_balance')) break;
      assert.ok(tries < 50, `the list follows the move: ${ids.join(', ')}`);
      await page.waitForTimeout(100);
    }
    await page.getByTestId('editor-review-changes').click();
    await page.getByTestId('editor-review-dialog').waitFor();
    await page.getByTestId('editor-diff').waitFor();
    await saveScreenshot(page, 'editor-temporal-02-review-diff');
    await page.getByTestId('editor-review-save').click();
    await page.getByTestId('editor-saved').waitFor({ timeout: 15_000 });
    // The worker's hot-load: the editor polls what it serves until it is the saved hash.
    await page.getByTestId('editor-served-new').waitFor({ timeout: 30_000 });
    await saveScreenshot(page, 'editor-temporal-03-saved-served');
    assert.notEqual(await page.getByTestId('editor-served-hash').innerText(), servedBefore);
  });

  test('the file keeps every comment and differs only in the moved lines', () => {
    const saved = readFileSync(file(), 'utf8');
    assert.ok(saved !== original, 'the file changed');
    const { removed, added } = changedLines(original, saved);
    assert.deepEqual(removed, [], 'no line lost or rewritten');
    assert.deepEqual(added, [], 'no line added');
    for (const comment of original.split('\n').filter((line) => line.trim().startsWith('#'))) assert.ok(saved.includes(comment), comment);
    const ids = [...saved.matchAll(/^  - id: (\w+)/gm)].map((match) => match[1]);
    assert.deepEqual(ids.slice(0, 2), ['await_trial_balance', 'open_period']);
  });

  test('a new run follows the new order; the run started before finishes in the old one', async () => {
    const runAfter = await startRun('2025-04');
    const next = await until(runAfter, (s) => s.pending_action?.step === 'await_trial_balance', 'waits for the upload first');
    assert.deepEqual(next.steps.slice(0, 2).map((step) => step.id), ['await_trial_balance', 'open_period']);
    assert.equal(next.steps.find((step) => step.id === 'open_period')?.status, 'pending', 'the period is opened after the upload now');

    const signal = await api.post(`/api/runs/${encodeURIComponent(runBefore)}/signal`, { headers: { 'x-csrf-token': csrf }, data: { name: 'tb_submitted', payload: TB('2025-03') } });
    assert.equal(signal.status(), 200, await signal.text());
    await until(runBefore, (s) => s.pending_action?.step === 'review_extraction', 'waits for the review');
    const approve = await api.post(`/api/runs/${encodeURIComponent(runBefore)}/action`, { headers: { 'x-csrf-token': csrf }, data: { step: 'review_extraction', action: 'approved' } });
    assert.equal(approve.status(), 200, await approve.text());
    const done = await until(runBefore, (s) => s.status === 'completed' || s.status === 'failed', 'ends');
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assert.deepEqual(done.steps.slice(0, 2).map((step) => step.id), ['open_period', 'await_trial_balance'], 'the old order, as pinned');
    const cancel = await api.post(`/api/runs/${encodeURIComponent(runAfter)}/cancel`, { headers: { 'x-csrf-token': csrf } });
    assert.equal(cancel.status(), 200, await cancel.text());
  });
});
