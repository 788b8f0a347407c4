/**
 * Fault (b): the Temporal server itself is stopped and started again on the same port and the
 * same database file while runs wait on reviews and on timers (some of which fall due while the
 * server is down). The same `runbook worker` process reconnects on its own; every run resumes and
 * completes, with its one commit. This test runs its OWN dev server, not the shared one of the test run.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { findFreePort, startDevServer, type DevServer } from '../../interpreter/temporal/dev-server.ts';
import { TemporalRunClient, type TemporalRunHandle } from '../../interpreter/temporal/temporal-run-client.ts';
import { CleanupStack, pollUntil, within } from '../support/cleanup-stack.ts';
import { startCliWorker } from '../support/cli-worker.ts';
import { TEST_DEV_SERVER_OPTIONS } from '../support/dev-server-options.ts';
import { readAttempts } from '../support/fault-handlers.ts';
import { ROOT } from '../support/run-cli.ts';

const PERIOD = '2025-02';
const TIMER_RUNS = 5;
const REVIEW_RUNS = 5;
const DOWNTIME_MS = 6_000;

// A timer run sleeps 8 s: the server goes down within ~2 s of the wait starting and stays down
// 6 s, so most timers fall due while it is down and fire only after the restart.
const PAUSE_RUNBOOK = `
slug: fault-pause
title: Fault pause
input:
  type: object
  required: [entity, mode]
  properties:
    entity: { type: string }
    mode: { type: string, enum: [timer, review] }
steps:
  - id: open_period
    title: Open period
    call:
      handler: ledger.open_period
      local: true
      args: { entity: '{% $input.entity %}', period: '${PERIOD}' }
  - id: nap
    title: Nap
    when: "{% $input.mode = 'timer' %}"
    timer: { duration: 8s }
  - id: approve
    title: Approve
    when: "{% $input.mode = 'review' %}"
    review:
      action: approve_close
      payload: { entity: '{% $input.entity %}' }
      reason: 'Approve the close of {% $input.entity %}'
      outcomes: { approved: continue, rejected: { fail: rejected } }
  - id: commit
    title: Commit trial balance
    call:
      handler: ledger.commit_trial_balance
      args:
        entity: '{% $input.entity %}'
        period: '${PERIOD}'
        lines:
          - { account: '1000', debit: 50 }
          - { account: '2000', credit: 50 }
      timeout: 10s
      retry: { max_attempts: 20, initial_interval: 500ms, backoff_coefficient: 1 }
  - id: close_period
    title: Close period
    call:
      handler: ledger.close_period
      local: true
      args: { entity: '{% $input.entity %}', period: '${PERIOD}' }
output:
  commit_id: '{% $steps.commit.commit_id %}'
  commits: '{% $steps.close_period.commits %}'
  review: '{% $exists($steps.approve) ? $steps.approve.action : null %}'
`;

describe('fault: the Temporal server is stopped and restarted', () => {
  const cleanup = new CleanupStack();
  after(async () => {
    await cleanup.cleanUp();
  });

  test('runs waiting on reviews and timers resume and complete after a restart on the same database; the worker reconnects', { timeout: 300_000 }, async (t) => {
    const home = cleanup.tempDir('runbook-fault-restart-');
    const runbooksDir = join(home, 'runbooks');
    const dataDir = join(home, 'data');
    const effectsLog = join(home, 'effects.jsonl');
    mkdirSync(runbooksDir);
    mkdirSync(dataDir);
    writeFileSync(join(runbooksDir, 'fault-pause.yaml'), PAUSE_RUNBOOK);
    writeFileSync(effectsLog, '');
    const dbFilename = join(home, 'temporal', 'server.sqlite');
    const port = await findFreePort();

    let server: DevServer | undefined;
    const startServer = async (): Promise<DevServer> => {
      server = await startDevServer({ ...TEST_DEV_SERVER_OPTIONS, dbFilename, port, keepAlive: false });
      return server;
    };
    cleanup.defer(() => server?.stop());
    const first = await startServer();

    const worker = startCliWorker({
      address: first.address,
      namespace: first.namespace,
      taskQueue: 'fault-restart',
      runbooksDir,
      handlers: join(ROOT, 'test/support/fault-handlers.ts'),
      dataDir,
      stateFile: join(home, 'worker-state.json'),
      cwd: home,
      env: { FAULT_EFFECTS_LOG: effectsLog },
    });
    cleanup.defer(() => worker.kill());
    await worker.ready(90_000);

    const connect = async (): Promise<Client> => {
      const connection = await Connection.connect({ address: first.address });
      cleanup.defer(() => connection.close().catch(() => undefined));
      return new Client({ connection, namespace: first.namespace });
    };
    const before = new TemporalRunClient(await connect(), 'fault-restart');
    const modes = [...Array<'timer'>(TIMER_RUNS).fill('timer'), ...Array<'review'>(REVIEW_RUNS).fill('review')];
    const started = await Promise.all(modes.map((mode, i) => before.start('fault-pause', { entity: `r${i}`, mode }, { runId: `fault-restart-${i}` })));

    // Every run is waiting: the timer runs in their timer, the review runs on their review.
    await Promise.all(
      started.map((run, i) =>
        pollUntil(
          `run ${i} to wait`,
          async () => {
            const state = await run.currentUiState();
            const waiting = modes[i] === 'review' ? state.pending_action?.step === 'approve' : state.current_step === 'nap';
            return waiting ? true : undefined;
          },
          90_000,
        ),
      ),
    );

    await first.stop();
    t.diagnostic(`server stopped; down for ${DOWNTIME_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, DOWNTIME_MS));
    assert.ok(worker.alive(), `the worker survives its server going away:\n${worker.output()}`);
    const second = await startServer();
    assert.equal(second.address, first.address);

    // A new client (a person using the console after the restart); the worker is the same process.
    const afterRestart = new TemporalRunClient(await connect(), 'fault-restart');
    const runs: TemporalRunHandle[] = started.map((run) => afterRestart.get(run.runId));
    await Promise.all(
      runs.map(async (run, i) => {
        if (modes[i] !== 'review') return;
        const pending = await pollUntil(`run ${i}'s review after the restart`, () => run.currentPendingAction().then((p) => p ?? undefined), 120_000, 500);
        assert.equal(pending.step, 'approve');
        await run.userAction({ action: 'approved', step: 'approve' });
      }),
    );
    const outputs = (await within('every run to complete after the restart', 150_000, Promise.all(runs.map((run) => run.result())), () => worker.output())) as Record<string, unknown>[];
    assert.ok(worker.alive(), `the same worker finished the runs:\n${worker.output()}`);

    for (const [i, output] of outputs.entries()) {
      assert.equal(output.commits, 1, `run ${i}`);
      assert.equal(output.review, modes[i] === 'review' ? 'approved' : null, `run ${i}`);
      const folder = join(dataDir, 'ledger', `r${i}`, 'commits', PERIOD);
      assert.deepEqual(readdirSync(folder), [`${String(output.commit_id)}.json`], `run ${i}: one commit`);
    }
    const commits = readAttempts(readFileSync(effectsLog, 'utf8')).filter((r) => r.handler === 'ledger.commit_trial_balance' && r.phase === 'done');
    assert.ok(commits.every((r) => r.pid === worker.pid), 'every commit ran on the one worker process');
  });
});
