/**
 * The diagram in Chromium: a real `runbook console` (in-process) over the example runbooks. The
 * start page of month-end close shows the runbook's diagram (steps in order, the fan-out, the
 * go-backs, the fail ends); a run's page shows the same diagram coloured by its step statuses,
 * with the words beside the colours, the text list fallback and the Copy Mermaid button. axe-core
 * finds no serious or critical violation; screenshots are saved under test-results/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { getTestBrowser, saveScreenshot, SCREENSHOT_DIR, seriousAccessibilityViolations } from '../support/browser.ts';
import { serve, type ServingProcess } from '../cli/console-process-helper.ts';
import { ROOT } from '../support/run-cli.ts';

const MONTH_END_STEPS = ['open_period', 'await_trial_balance', 'ingest_documents', 'previous_close', 'review_extraction', 'commit_trial_balance', 'commit_closing_balance', 'close_period'];

describe('the diagram in Chromium', { concurrency: false }, () => {
  let project: string;
  let consoleProcess: ServingProcess;
  let context: BrowserContext;

  const newPage = async (): Promise<Page> => context.newPage();

  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'console-graph-'));
    symlinkSync(join(ROOT, 'runbooks'), join(project, 'runbooks'));
    symlinkSync(join(ROOT, 'handlers'), join(project, 'handlers'));
    mkdirSync(join(project, 'data'));
    consoleProcess = await serve(['console', '--port', '0'], { cwd: project, env: { ...process.env, RUNBOOK_DATA_DIR: join(project, 'data'), TEMPORAL_ADDRESS: '' } });
    const browser = await getTestBrowser();
    context = await browser.newContext({ baseURL: consoleProcess.url, viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await context?.close().catch(() => {});
    if (consoleProcess) assert.equal(await consoleProcess.stop(), 0, consoleProcess.output());
    rmSync(project, { recursive: true, force: true });
  });

  test('the start page of a runbook shows its diagram: steps in order, fan-out, go-backs, fail ends, a text list', async () => {
    const page = await newPage();
    await page.goto('/start/month-end-close');
    const diagram = page.getByRole('img', { name: /^Diagram of Month-end close: 8 steps/ });
    await diagram.waitFor();
    const steps = await page.locator('[data-testid^="graph-step-"]').evaluateAll((nodes) => nodes.map((node) => [node.getAttribute('data-testid'), node.getAttribute('data-status'), node.getAttribute('data-kind')]));
    assert.deepEqual(steps.map(([id]) => id), MONTH_END_STEPS.map((id) => `graph-step-${id}`));
    assert.ok(steps.every(([, status]) => status === 'none'), 'a runbook has no statuses');
    assert.equal(steps[2]?.[2], 'child');
    const ingest = page.getByTestId('graph-step-ingest_documents');
    assert.match(await ingest.textContent() ?? '', /fan-out document-ingest \(4 at a time\)/);
    assert.equal(await ingest.locator('rect').count() >= 3, true, 'a fan-out is a stacked box');
    assert.match(await page.getByTestId('graph-step-close_period').textContent() ?? '', /when \{% \$not/);
    assert.equal(await page.locator('.graph-back').count(), 4);
    assert.equal(await page.locator('[data-testid^="graph-fail-"]').count(), 4);
    await page.getByText('The diagram as text').click();
    const list = page.getByTestId('graph-list');
    assert.match(await list.innerText(), /rejected: back to Upload trial balance/);
    assert.match(await list.innerText(), /on PERIOD_CLOSED: the run fails/);
    await expectAccessible(page, 'graph-01-runbook');
    await page.getByText('The diagram as text').click(); // closed again: the diagram alone
    await page.getByTestId('graph-section').screenshot({ path: join(SCREENSHOT_DIR, 'graph-01-runbook-diagram.png') });
    await page.close();
  });

  test('a run page shows the diagram with each step\'s status colour, live, and offers the Mermaid text', async () => {
    const page = await newPage();
    const me = (await (await page.request.get('/api/me')).json()) as { csrf_token: string };
    const started = await page.request.post('/api/runs', {
      headers: { 'x-csrf-token': me.csrf_token },
      data: { runbook: 'month-end-close', input: { entity: `graph-${Date.now().toString(36)}`, period: '2025-03', expected_documents: [] } },
    });
    assert.equal(started.status(), 201, await started.text());
    const { run_id: runId } = (await started.json()) as { run_id: string };
    await page.goto(`/runs/${encodeURIComponent(runId)}`);
    await page.locator('[data-testid="graph-step-await_trial_balance"][data-status="waiting"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('graph-step-open_period').getAttribute('data-status'), 'completed');
    assert.equal(await page.getByTestId('graph-step-review_extraction').getAttribute('data-status'), 'pending');
    // The colours are the status colours of the Mermaid and dot renderings; the word is in the box too.
    const fills = await page.locator('[data-testid^="graph-step-"] > rect:last-of-type, [data-testid^="graph-step-"] > rect').evaluateAll((rects) => rects.map((rect) => rect.getAttribute('fill')));
    assert.ok(fills.includes('#e5f4ec'), `a completed step is green: ${fills.join(' ')}`);
    assert.ok(fills.includes('#fdf3dc'), `the waiting step is amber: ${fills.join(' ')}`);
    assert.match(await page.getByTestId('graph-step-await_trial_balance').textContent() ?? '', /waiting/);
    assert.match((await page.getByRole('img', { name: /^Diagram of Month-end close/ }).getAttribute('aria-label')) ?? '', /Open period, completed; Upload trial balance, waiting/);
    // The ladder is still there, as it was.
    assert.equal(await page.getByTestId('step-await_trial_balance').getAttribute('data-status'), 'waiting');
    const mermaid = (await (await page.request.get(`/api/runs/${encodeURIComponent(runId)}/graph`)).json()) as { mermaid: string };
    assert.match(mermaid.mermaid, /^  class s_await_trial_balance waiting$/m);
    await page.getByTestId('graph-section').scrollIntoViewIfNeeded();
    await expectAccessible(page, 'graph-02-run-waiting');

    // A trial balance arrives: the diagram follows the run live.
    const signal = await page.request.post(`/api/runs/${encodeURIComponent(runId)}/signal`, {
      headers: { 'x-csrf-token': me.csrf_token },
      data: { name: 'tb_submitted', payload: { period: '2025-03', filename: 'tb-2025-03.csv', content: '# period: 2025-03\n# currency: GBP\naccount,name,debit,credit\n1000,Bank,1000.00,\n4000,Sales,,1000.00\n' } },
    });
    assert.equal(signal.status(), 200, await signal.text());
    await page.locator('[data-testid="graph-step-review_extraction"][data-status="waiting"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('graph-step-ingest_documents').getAttribute('data-status'), 'completed');
    await page.getByTestId('graph-copy-mermaid').click();
    await page.getByRole('status').filter({ hasText: /Copied|copy the text below/ }).waitFor();
    await page.getByTestId('graph-section').screenshot({ path: join(SCREENSHOT_DIR, 'graph-03-run-diagram.png') });
    await page.close();
  });
});

async function expectAccessible(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, name);
  const violations = await seriousAccessibilityViolations(page);
  assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 2)}`);
}
