/**
 * The runbook editor in Chromium, in-process: a real `runbook console` over a copy of the example
 * runbooks and handlers. A person opens month-end close: the steps with what each reads and what
 * reads it; dragging `commit_trial_balance` above `review_extraction` is marked while dragging, the
 * message names both steps, and the drop is not applied; the same attempt by keyboard is announced.
 * The side panel edits a step's title and icon (a searchable Lucide picker); a review is inserted
 * before the commit from the step's menu; the diff is reviewed and the file saved, the console then
 * serves the new hash. A save against a file changed on disk meanwhile is refused with a diff, and
 * "Reload from disk" takes the file as it is now. An invalid file opens with its text and its
 * diagnostics. Unsaved work kept across a page reload survives a change of the file on disk
 * meanwhile (the working text stays, the file-changed diff is shown until the person chooses), and
 * text typed in the YAML view while an operation is on its way survives its answer. axe-core finds no serious or critical violation; screenshots go to
 * test-results/screenshots/editor-*.png.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { getTestBrowser, saveScreenshot, SCREENSHOT_DIR, seriousAccessibilityViolations } from '../support/browser.ts';
import { serve, type ServingProcess } from '../cli/console-process-helper.ts';
import { ROOT } from '../support/run-cli.ts';

const stepOrder = (page: Page): Promise<string[]> =>
  page.locator('.editor-steps > li').evaluateAll((nodes) => nodes.map((node) => (node.getAttribute('data-testid') ?? '').replace('editor-step-', '')));

async function expectAccessible(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, name);
  const violations = await seriousAccessibilityViolations(page);
  assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 2)}`);
}

/** A screenshot of what is on screen now (a dialog, a drag in progress), not the whole page. */
const shoot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });

async function until(what: string, check: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; !(await check()); i++) {
    assert.ok(i < tries, what);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the runbook editor in Chromium (in-process)', { concurrency: false }, () => {
  let project: string;
  let consoleProcess: ServingProcess;
  let context: BrowserContext;
  let page: Page;
  const file = (): string => join(project, 'runbooks', 'month-end-close.yaml');

  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'editor-browser-'));
    cpSync(join(ROOT, 'runbooks'), join(project, 'runbooks'), { recursive: true });
    symlinkSync(join(ROOT, 'handlers'), join(project, 'handlers'));
    writeFileSync(join(project, 'runbook.config.yaml'), 'runbooks: runbooks\nhandlers: handlers\n');
    mkdirSync(join(project, 'data'));
    consoleProcess = await serve(['console', '--port', '0'], { cwd: project, env: { ...process.env, RUNBOOK_DATA_DIR: join(project, 'data') } });
    const browser = await getTestBrowser();
    context = await browser.newContext({ baseURL: consoleProcess.url, viewport: { width: 1360, height: 950 } });
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  });

  after(async () => {
    await context?.close().catch(() => {});
    if (consoleProcess) assert.equal(await consoleProcess.stop(), 0, consoleProcess.output());
    rmSync(project, { recursive: true, force: true });
  });

  test('the editor lists the runbook files; month-end close opens as its steps with their data flow', async () => {
    await page.goto('/');
    await page.getByTestId('nav-editor').click();
    await page.getByTestId('editor-file-month-end-close').waitFor();
    await expectAccessible(page, 'editor-00-files');
    await page.getByTestId('editor-file-month-end-close').getByRole('link').click();
    await page.getByTestId('editor-step-commit_trial_balance').waitFor();
    await page.locator('.cm-editor').waitFor();
    assert.deepEqual(await stepOrder(page), ['open_period', 'await_trial_balance', 'ingest_documents', 'previous_close', 'review_extraction', 'commit_trial_balance', 'commit_closing_balance', 'close_period']);
    const commit = await page.getByTestId('editor-step-commit_trial_balance').innerText();
    assert.match(commit, /reads\s+ingest_documents\s+review_extraction/);
    assert.match(await page.getByTestId('editor-step-review_extraction').innerText(), /read by\s+commit_trial_balance/);
    assert.match(await page.getByTestId('editor-served-hash').innerText(), /[0-9a-f]{12}/);
    await expectAccessible(page, 'editor-01-list');
  });

  test('dragging commit_trial_balance above review_extraction is marked, names both steps, and is not applied', async () => {
    const handle = (await page.getByTestId('editor-move-commit_trial_balance').boundingBox())!;
    const target = (await page.getByTestId('editor-step-review_extraction').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2, handle.y - 8, { steps: 4 });
    await page.mouse.move(handle.x + handle.width / 2, target.y + 12, { steps: 10 });
    const conflict = page.getByTestId('editor-drop-conflict');
    await conflict.waitFor();
    assert.match(await conflict.innerText(), /commit_trial_balance reads review_extraction, which would no longer run before it/);
    assert.equal(await page.getByTestId('editor-step-review_extraction').getAttribute('data-forbidden'), 'true');
    assert.equal(await page.locator('.drag-overlay.is-conflict').count(), 1, 'the dragged step turns red');
    await shoot(page, 'editor-02-conflicting-drag');
    await page.mouse.up();
    const refused = page.getByTestId('editor-drop-conflict');
    await refused.getByRole('button', { name: 'Keep the order' }).waitFor();
    assert.equal((await stepOrder(page)).indexOf('commit_trial_balance'), 5, 'not moved');
    await refused.getByRole('button', { name: 'Keep the order' }).click();
    assert.match(await page.getByTestId('editor-status').innerText(), /No unsaved changes/);
  });

  test('by keyboard alone: the same attempt is announced and cancelled; a valid move is applied', async () => {
    await page.getByTestId('editor-move-commit_trial_balance').focus();
    await page.keyboard.press('Space');
    await page.waitForTimeout(150);
    await page.keyboard.press('ArrowUp');
    const liveRegion = page.locator('[id^="DndLiveRegion"]');
    await until(`the conflict is announced (${await liveRegion.textContent()})`, async () => /review_extraction, which would no longer run before it/.test((await liveRegion.textContent()) ?? ''));
    await page.keyboard.press('Escape');
    assert.equal((await stepOrder(page)).indexOf('commit_trial_balance'), 5);

    // As a person types (dnd-kit measures the list after the pick-up, before an arrow key can move the step).
    // Dropped there anyway: not applied until "Move anyway", which shows the validator's RB_STEP_ORDER on the step.
    const press = async (key: string): Promise<void> => { await page.keyboard.press(key); await page.waitForTimeout(150); };
    await page.getByTestId('editor-move-commit_trial_balance').focus();
    await press('Space');
    await press('ArrowUp');
    await press('Space');
    await page.getByTestId('editor-move-anyway').click();
    await page.getByTestId('editor-step-commit_trial_balance').locator('[data-code="RB_STEP_ORDER"]').first().waitFor();
    assert.equal(await page.getByTestId('editor-save').isDisabled(), true, 'no save while a step reads a later one');
    await page.getByTestId('editor-move-commit_trial_balance').focus();
    await press('Space');
    await press('ArrowDown');
    await press('Space');
    await until('moved back', async () => (await stepOrder(page)).indexOf('commit_trial_balance') === 5 && (await page.getByTestId('editor-save').isDisabled()) && (await page.locator('[data-code="RB_STEP_ORDER"]').count()) === 0);

    await page.getByTestId('editor-move-close_period').focus();
    await press('Space');
    await press('ArrowUp');
    await press('Space');
    await until('the list follows the move', async () => (await stepOrder(page)).indexOf('close_period') === 6);
    assert.match(await page.getByTestId('editor-status').innerText(), /Unsaved changes/);
  });

  test('the side panel edits the title and picks an icon by name', async () => {
    await page.getByTestId('editor-select-review_extraction').click();
    const panel = page.getByTestId('editor-panel');
    await panel.waitFor();
    await page.getByTestId('editor-field-title').fill('Review the trial balance');
    await page.getByTestId('editor-step-review_extraction').getByText('Review the trial balance').waitFor();
    await page.getByTestId('editor-icon-picker-open').click();
    await page.getByTestId('editor-icon-search').fill('shield check');
    await page.getByTestId('editor-icon-ShieldCheck').waitFor();
    await expectAccessible(page, 'editor-03-panel-icon-picker');
    await page.getByTestId('editor-icon-ShieldCheck').click();
    await until('the icon is applied', async () => (await page.getByTestId('editor-step-review_extraction').getAttribute('data-icon')) === 'ShieldCheck');
  });

  test('a review is inserted before the commit from the step menu', async () => {
    await page.getByTestId('editor-menu-commit_trial_balance').click();
    await page.getByTestId('editor-insert-review-before').click();
    await until('a step is added before the commit', async () => (await stepOrder(page)).length === 9);
    const order = await stepOrder(page);
    const added = order[order.indexOf('commit_trial_balance') - 1];
    assert.ok(added && !['close_period', 'review_extraction'].includes(added), order.join(', '));
    await until('the new step is selected', async () => (await page.getByTestId('editor-panel').getAttribute('data-step')) === added);
  });

  test('the diff is reviewed, the file saved; the console then serves the new hash', async () => {
    const servedBefore = await page.getByTestId('editor-served-hash').getAttribute('data-hash');
    await until('the text is valid', async () => (await page.getByTestId('editor-save').isEnabled()));
    await page.getByTestId('editor-review-changes').click();
    await page.getByTestId('editor-diff').locator('.cm-mergeView').waitFor();
    await shoot(page, 'editor-04-diff');
    const violations = await seriousAccessibilityViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    await page.getByTestId('editor-review-save').click();
    await page.getByTestId('editor-saved').waitFor();
    assert.match(await page.getByTestId('editor-saved').innerText(), /Saved by anonymous/);
    await page.getByTestId('editor-served-new').waitFor({ timeout: 20_000 });
    const servedAfter = await page.getByTestId('editor-served-hash').getAttribute('data-hash');
    assert.notEqual(servedAfter, servedBefore);
    const saved = readFileSync(file(), 'utf8');
    assert.match(saved, /title: Review the trial balance\n\s+icon: ShieldCheck/);
    assert.match(saved, /- id: close_period[\s\S]*- id: commit_closing_balance/, 'the keyboard move is saved');
    assert.match(saved, /# A rejected review or an unusable upload goes back to the wait; three times at most\./, 'comments kept');
    await expectAccessible(page, 'editor-05-saved');
  });

  test('a save against a file changed on disk is refused with a diff; Reload from disk takes the file as it is', async () => {
    await page.getByTestId('editor-field-title').fill('A review before the commit');
    await until('the edit is applied', async () => /Unsaved changes/.test(await page.getByTestId('editor-status').innerText()) && (await page.getByTestId('editor-save').isEnabled()));
    const onDisk = readFileSync(file(), 'utf8').replace('title: Close period', 'title: Close the period (changed by someone else)');
    writeFileSync(file(), onDisk);
    await page.getByTestId('editor-save').click();
    const changed = page.getByTestId('editor-file-changed');
    await changed.waitFor();
    await changed.locator('.cm-mergeView').waitFor();
    assert.match(await changed.innerText(), /changed/);
    await expectAccessible(page, 'editor-06-file-changed');
    assert.equal(readFileSync(file(), 'utf8'), onDisk, 'nothing written');
    await page.getByTestId('editor-reload').click();
    await page.getByTestId('editor-reload-confirm').click();
    await until('the file as on disk now', async () => /changed by someone else/.test(await page.getByTestId('editor-step-close_period').innerText()));
    assert.match(await page.getByTestId('editor-status').innerText(), /No unsaved changes/);
  });

  test('an invalid file opens with its text and diagnostics; a YAML edit is validated on its line', async () => {
    writeFileSync(join(project, 'runbooks', 'broken.yaml'), 'slug: broken\ntitle: "Broken\nsteps:\n  - id: a\n    title: A\n');
    await page.goto('/editor/broken');
    await page.getByTestId('editor-no-steps').waitFor();
    assert.ok((await page.getByTestId('editor-diagnostic').count()) > 0);
    await page.locator('.cm-editor').waitFor();
    assert.match(await page.getByTestId('editor-yaml').innerText(), /title: "Broken/);
    await expectAccessible(page, 'editor-07-invalid-file');

    await page.goto('/editor/month-end-close');
    await page.locator('.cm-content').waitFor();
    await page.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nunknown_field: 1\n');
    await page.locator('.cm-lintRange-error').first().waitFor();
    await page.getByTestId('editor-file-diagnostics').waitFor();
    assert.equal(await page.getByTestId('editor-save').isDisabled(), true, 'no save with errors');
    assert.match(await page.getByTestId('editor-save-blocked').innerText(), /Fix \d+ errors?/);
  });

  const stored = (): Promise<{ base_hash?: string; text?: string } | null> =>
    // A string, evaluated in the page: this test is compiled without the DOM's types.
    page.evaluate<{ base_hash?: string; text?: string } | null>("JSON.parse(window.sessionStorage.getItem('runbook-editor:month-end-close') ?? 'null')");

  /** month-end close with no working text kept from an earlier test. */
  const openWithNothingStored = async (): Promise<void> => {
    await page.goto('/editor');
    await page.evaluate('window.sessionStorage.clear()');
    await page.goto('/editor/month-end-close');
  };

  test('unsaved work kept across a page reload survives a change of the file on disk: the working text stays, the diff is shown until a choice', async () => {
    await openWithNothingStored();
    await page.getByTestId('editor-yaml').locator('.cm-content').waitFor();
    await page.getByTestId('editor-yaml').locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.type('# kept across a reload\n');
    await until('the working text is stored', async () => (await stored())?.text?.startsWith('# kept across a reload\n') === true);
    writeFileSync(file(), `${readFileSync(file(), 'utf8')}# changed on disk by someone else\n`);

    for (let reloads = 0; reloads < 2; reloads++) {
      await page.reload();
      const changed = page.getByTestId('editor-file-changed');
      await changed.waitFor();
      assert.equal(await changed.getAttribute('data-reason'), 'restored');
      await changed.locator('.cm-mergeView').waitFor();
      await page.getByTestId('editor-yaml').locator('.cm-content').waitFor();
      assert.match(await page.getByTestId('editor-yaml').innerText(), /# kept across a reload/, 'the working text is still there');
      assert.match(await page.getByTestId('editor-status').innerText(), /Unsaved changes/);
      const diff = await page.getByTestId('editor-file-changed-diff').innerText();
      assert.match(diff, /# kept across a reload/);
      assert.match(diff, /# changed on disk by someone else/);
      assert.match((await stored())?.text ?? '', /^# kept across a reload\n/, 'not removed before the person chooses');
    }
    await expectAccessible(page, 'editor-08-restored-file-changed');

    await page.getByTestId('editor-keep-mine').click();
    await until('the notice goes', async () => (await page.getByTestId('editor-file-changed').count()) === 0);
    await page.reload();
    await page.getByTestId('editor-yaml').locator('.cm-content').waitFor();
    await page.getByRole('status').filter({ hasText: 'kept from before' }).waitFor();
    assert.equal(await page.getByTestId('editor-file-changed').count(), 0, 'based on the file on disk now');
    assert.match(await page.getByTestId('editor-yaml').innerText(), /# kept across a reload/);
  });

  test('text typed in the YAML view while an operation is on its way survives its answer', async () => {
    await openWithNothingStored();
    await page.getByTestId('editor-yaml').locator('.cm-content').waitFor();
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let arrived!: () => void;
    const hit = new Promise<void>((resolve) => { arrived = resolve; });
    let applies = 0;
    const pattern = '**/api/editor/runbooks/month-end-close/apply';
    await page.route(pattern, async (route) => {
      applies += 1;
      if (applies === 1) { arrived(); await held; }
      await route.continue();
    });
    try {
      await page.getByTestId('editor-select-close_period').click();
      await page.getByTestId('editor-field-title').fill('Close the period while typing');
      await hit;
      await page.getByTestId('editor-yaml').locator('.cm-content').click();
      await page.keyboard.press('ControlOrMeta+Home');
      await page.keyboard.type('# typed while the change was on its way\n');
      await until('the typing is in the working text', async () => /^# typed while the change was on its way\n/.test((await stored())?.text ?? ''));
      release();
      await until('the operation is applied to the typed text', async () => /title: Close the period while typing/.test((await stored())?.text ?? '')
        && !/checking/.test(await page.getByTestId('editor-status').innerText()));
      const working = (await stored())?.text ?? '';
      assert.match(working, /^# typed while the change was on its way\n/, 'the typing is kept');
      assert.match(working, /title: Close the period while typing/, 'the operation is kept');
      assert.equal(applies, 2, 'the operation was sent again on the typed text');
      assert.match(await page.getByTestId('editor-yaml').innerText(), /# typed while the change was on its way/);
      await page.getByTestId('editor-step-close_period').getByText('Close the period while typing').waitFor();
      assert.equal(await page.getByTestId('editor-error').count(), 0);
    } finally {
      release();
      await page.unroute(pattern);
    }
  });
});
