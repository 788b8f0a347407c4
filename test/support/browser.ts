/**
 * Chromium for the browser tests: Debian's `chromium` (installed by .ci/run, or by the test
 * runner on first use), driven through Playwright's library. The test runner launches ONE
 * browser server per run and passes its endpoint as BROWSER_WS_ENDPOINT; a test file run on its
 * own (no endpoint) launches its own browser. Nothing here is ever skipped: a missing browser
 * is a failure that says how to install it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the tests save their screenshots (artifacts of the run). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

/** Flags for a headless Chromium in a container (root, small /dev/shm). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'];

let shared: Promise<Browser> | undefined;

/** The run's browser (connected once per test process). */
export function getTestBrowser(): Promise<Browser> {
  shared ??= (async () => {
    const endpoint = process.env.BROWSER_WS_ENDPOINT;
    if (endpoint) return chromium.connect(endpoint);
    if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
    return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  })();
  return shared;
}

/** Closes this process's connection (the shared browser server lives on until the runner stops it). */
export async function closeTestBrowser(): Promise<void> {
  if (!shared) return;
  const browser = await shared;
  shared = undefined;
  await browser.close();
}

/** Saves a full-page screenshot as test-results/screenshots/NAME.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly string[];
}

const axeSource = (): string => (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** axe-core's serious and critical violations on the page as it is now (WCAG 2 A/AA rules). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource() });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => JSON.stringify(node.target)) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
