/**
 * Console benchmark (`npm run bench:console`), on a Temporal dev server started here with
 * BENCH_RUNS (default 1,000) runs waiting on a review, a worker and the console server
 * (Temporal backend) in this process, and Debian's Chromium through Playwright's library:
 *
 *   (a) inbox API: GET /api/inbox p50/p95 vs the bare visibility list it is built from
 *       (baseline: the same query through the Temporal client, no decoding or grouping).
 *       Target ≤ 300 ms p95.
 *   (b) inbox page interactive: navigation to the first inbox item rendered, p50/p95, vs
 *       loading GET /api/me as a page from the same server (baseline). Target ≤ 1.5 s.
 *   (c) approve → next step: click Approve on a run page until its ladder shows the next step
 *       waiting, p50/p95, vs the same through the client (Update, then the ui state query until
 *       the next step waits; baseline). Target ≤ 500 ms p95.
 *   (d) initial JavaScript of the inbox page, gzipped, vs the target 250 KB.
 *
 *   BENCH_RUNS=1000 BENCH_SAMPLES=20 npm run bench:console
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { chromium } from 'playwright-core';
import { loadHandlerRegistry } from '../interpreter/handlers/index.ts';
import { startDevServer } from '../interpreter/temporal/dev-server.ts';
import { createInterpreterWorker } from '../interpreter/temporal/interpreter-worker.ts';
import { DEV_SERVER_SEARCH_ATTRIBUTES } from '../interpreter/temporal/search-attributes.ts';
import { TemporalRunClient } from '../interpreter/temporal/temporal-run-client.ts';
import { SEARCH_ATTRIBUTES, WORKFLOW_TYPE } from '../interpreter/temporal/workflow-contract.ts';
import { createConsoleServer } from '../interpreter/server/console-server.ts';
import { localOnlyAuth } from '../interpreter/server/console-auth-port.ts';
import { TemporalBackend } from '../interpreter/server/temporal-backend.ts';
import { definitionsOf, runbookOf } from '../test/support/inline-runbook.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const twoReviews = {
  slug: 'bench-two-reviews',
  title: 'Expense approval',
  identity: ['entity', 'period'],
  input: {
    type: 'object',
    required: ['entity', 'period', 'n'],
    properties: { entity: { type: 'string' }, period: { type: 'string' }, n: { type: 'integer' } },
  },
  steps: [
    { id: 'first_review', title: 'First review', icon: 'ClipboardCheck', review: { action: 'review', payload: { n: '{% $input.n %}' }, display_hint: { type: 'expense' }, reason: 'Approve expense {% $input.n %}' } },
    { id: 'second_review', title: 'Second review', icon: 'BadgeCheck', review: { action: 'review', payload: { n: '{% $input.n %}' }, reason: 'Second pair of eyes on {% $input.n %}' } },
  ],
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const ms = (value: number): string => `${value.toFixed(0)} ms`;
function report(label: string, measured: number[], baseline: number[], target?: number): void {
  const p50 = percentile(measured, 50);
  const p95 = percentile(measured, 95);
  const b95 = percentile(baseline, 95);
  const verdict = target === undefined ? '' : p95 <= target ? `  ✓ target ≤ ${ms(target)}` : `  ✗ target ≤ ${ms(target)}`;
  console.log(`${label}: p50 ${ms(p50)}, p95 ${ms(p95)}; baseline p95 ${ms(b95)}; ratio p95 ${(p95 / b95).toFixed(2)}×${verdict}`);
}

async function timed<T>(body: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await body();
  return [performance.now() - t0, value];
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'lib', 'console-app', 'index.html'))) throw new Error('the console app is not built: npm run build');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer({ searchAttributes: DEV_SERVER_SEARCH_ATTRIBUTES, logLevel: 'error' });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const taskQueue = 'bench-console';
  const definitions = definitionsOf(twoReviews);
  const handlers = await loadHandlerRegistry(join(ROOT, 'handlers'));
  const worker = await createInterpreterWorker({ connection: nativeConnection, namespace: server.namespace, taskQueue, handlers, definitions });
  const workerRun = worker.run();
  const runs = new TemporalRunClient(client, taskQueue);
  const backend = new TemporalBackend({ client: runs, catalog: [{ runbook: runbookOf(twoReviews).runbook, sampleInput: { entity: 'acme-uk', period: '2025-01', n: 0 } }], handlers, namespace: server.namespace });
  const app = await createConsoleServer({ backend, auth: localOnlyAuth() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  console.log(`dev server ${server.address}; console ${base}; ${RUNS} waiting runs, ${SAMPLES} samples each; Node ${process.version}`);

  try {
    // 1,000 runs waiting on their first review.
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, RUNS - i) }, (_, j) => runs.start(twoReviews.slug, { entity: `acme-${(i + j) % 7}`, period: '2025-01', n: i + j }, { runId: `bench-${i + j}`, startedBy: 'bench@acme.example' })),
      );
      ids.push(...batch.map((run) => run.runId));
    }
    const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND ${SEARCH_ATTRIBUTES.status} = 'waiting'`;
    for (;;) {
      const { count } = await client.workflow.count(query);
      if (count >= RUNS) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    console.log(`${RUNS} runs waiting after ${ms(performance.now() - t0)}`);

    // (a) inbox API vs the bare visibility list.
    const api: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < SAMPLES + 2; i++) {
      const [a, response] = await timed(() => fetch(`${base}/api/inbox`).then(async (r) => (await r.json()) as { total: number }));
      const [b] = await timed(async () => {
        let n = 0;
        for await (const _ of client.workflow.list({ query, pageSize: 1000 })) n++;
        return n;
      });
      if (response.total < RUNS) throw new Error(`the inbox lists ${response.total} runs, expected ${RUNS}`);
      if (i >= 2) {
        api.push(a);
        bare.push(b);
      }
    }
    report('(a) inbox API, 1,000 waiting', api, bare, 300);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    try {
      // (b) inbox page interactive, and (d) its initial JavaScript.
      const page = await browser.newPage();
      const scripts = new Map<string, number>();
      let collecting = true;
      page.on('response', async (response) => {
        if (!collecting) return;
        if (response.request().resourceType() !== 'script' || response.status() >= 300) return;
        try {
          scripts.set(response.url(), gzipSync(await response.body()).length);
        } catch {
          // A response the page dropped (navigated away) has no body any more.
        }
      });
      const pageTimes: number[] = [];
      const blank: number[] = [];
      for (let i = 0; i < SAMPLES + 1; i++) {
        const [t] = await timed(async () => {
          await page.goto(`${base}/`);
          await page.locator('[data-testid="inbox-item"]').first().waitFor().catch(async (error: unknown) => {
            await page.screenshot({ path: '/tmp/bench-inbox-failure.png' });
            throw error;
          });
        });
        const [b] = await timed(() => page.goto(`${base}/api/me`));
        if (i > 0) {
          pageTimes.push(t);
          blank.push(b);
        }
        if (i === 0) {
          await page.waitForLoadState('networkidle');
          collecting = false;
        }
      }
      report('(b) inbox page interactive', pageTimes, blank, 1500);
      const initial = [...scripts.values()].reduce((sum, size) => sum + size, 0);
      console.log(`(d) inbox initial JavaScript: ${(initial / 1024).toFixed(1)} KB gzipped in ${scripts.size} file(s); ratio to the 250 KB target ${(initial / (250 * 1024)).toFixed(2)}${initial <= 250 * 1024 ? '  ✓' : '  ✗'}`);

      // (c) approve → the next step waiting, in the browser vs through the client.
      const clicks: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const viaPage = ids[i];
        await page.goto(`${base}/runs/${encodeURIComponent(viaPage)}`);
        const approve = page.getByTestId('action-approved');
        await approve.waitFor();
        const [t] = await timed(async () => {
          await approve.click();
          await page.locator('[data-testid="step-second_review"][data-status="waiting"]').waitFor();
        });
        clicks.push(t);
        const handle = runs.get(ids[SAMPLES + i]);
        const [b] = await timed(async () => {
          await handle.userAction({ action: 'approved', step: 'first_review', actor: 'bench@acme.example' });
          for (;;) {
            const state = await handle.currentUiState();
            if (state.pending_action?.step === 'second_review') return;
          }
        });
        direct.push(b);
      }
      report('(c) approve → next step shown', clicks, direct, 500);
    } finally {
      await browser.close();
    }
  } finally {
    await app.close();
    worker.shutdown();
    await workerRun;
    await nativeConnection.close();
    await connection.close();
    await server.stop();
  }
}

await main();
